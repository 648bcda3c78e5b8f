import type {Registry} from '../registry/registry.js'
import {editionCovers, verifyRun} from '../verify/evaluate.js'
import {categorize, type Finding} from '../verify/finding.js'
import {officialEngineFix} from '../verify/official-engine.js'
import {loadRecordedRun} from '../verify/run-loader.js'
import {type Lifecycle, LifecycleStage} from './lifecycle.js'
import type {RunContext} from './run-context.js'

/** Inside `run`, at the engine's stage: the context's executor (the engine, or the command's own work). */
export function tapEngine(lifecycle: Lifecycle): void {
  lifecycle.run.tapPromise({name: 'mlps:engine', stage: LifecycleStage.Engine}, async ctx => {
    if (ctx.execute) ctx.engineResult = await ctx.execute(ctx)
  })
}

/** Inside `verify`: the configured rules edition's findings first, the category from all findings last. */
export function tapRules(registry: Registry, lifecycle: Lifecycle): void {
  lifecycle.verify.tapPromise({name: 'mlps:rules', stage: LifecycleStage.Core}, async (verdict, ctx) => {
    const findings = [...verdict.findings, ...await rulesFindings(registry, ctx)]
    return {category: verdict.category, findings}
  })
  lifecycle.verify.tapPromise({name: 'mlps:category', stage: LifecycleStage.Report}, async (verdict, ctx) => {
    // rulesFindings says when no edition judged the run (none installed, or none with rules for this benchmark)
    const evaluated = !verdict.findings.some(f => f.ruleId === 'mlps.rules.edition' && f.notEvaluable)
    const category = categorize(verdict.findings, ctx.division)
    return {category: category === 'INVALID' || evaluated ? category : 'UNVERIFIED', findings: verdict.findings}
  })
}

async function rulesFindings(registry: Registry, ctx: RunContext): Promise<Finding[]> {
  const findings: Finding[] = []
  if (ctx.record.status !== 'COMPLETED') {
    findings.push({ruleId: 'mlps.run.completed', severity: 'error', kind: 'run', message: `the run is ${ctx.record.status}${ctx.record.statusReason ? `: ${ctx.record.statusReason}` : ''}; only completed runs count`})
  }
  if (ctx.engine && !ctx.engine.closedEligible) {
    findings.push({ruleId: 'mlps.engine.closedEligible', severity: 'warn', openOnly: true, message: `engine "${ctx.engine.name}" is an emulation: its results can never be CLOSED`, fix: officialEngineFix(ctx.record.benchmark, registry.officialEngines(ctx.record.benchmark))})
  }
  const edition = registry.edition(ctx.config.rulesEdition)
  if (!edition) {
    findings.push({ruleId: 'mlps.rules.edition', severity: 'info', notEvaluable: true, message: `no rules edition "${ctx.config.rulesEdition}" is installed, so the run was not checked against the rules`, fix: 'install a rules plugin or set rulesEdition to one that is installed'})
  } else if (ctx.leaf) {
    if (edition.rules) {
      const catalogue = registry.results()
      const run = await loadRecordedRun(ctx.record, ctx.leaf, catalogue, ctx.config.resultsDir)
      findings.push(...editionCovers(edition, run.benchmark) ? verifyRun(run, edition, catalogue)
        : [{ruleId: 'mlps.rules.edition', severity: 'info' as const, notEvaluable: true, message: `rules edition "${edition.name}" has no rules for ${ctx.record.benchmark}, so the run was not checked against the rules`}])
    }
    if (edition.verifyRun) findings.push(...await edition.verifyRun(ctx.record, ctx.leaf))
  }
  return findings
}

import type {RulesEdition} from '../registry/definitions.js'
import {type Category, categorize, type Finding, type Severity} from './finding.js'
import type {Division, GroupIdentity, LoadedRun, LoadedTree, SystemDescription} from './loaded-run.js'
import {officialEngineFix} from './official-engine.js'
import {figureRangeFindings, missingResultFindings} from './result-integrity.js'
import type {ResultsCatalogue} from './results-catalogue.js'
import type {AnyRule, RuleContext, RuleOutcome, RuleScope, RuleSubjects} from './rule.js'
import {processState} from '../launch/process-identity.js'

export interface RunVerdict {
  path: string
  command?: string
  category: Category
  findings: Finding[]
}

export interface GroupVerdict extends GroupIdentity {
  /** the worst of the group's own findings and its runs' */
  category: Category
  /** group-scope findings and every finding of its runs */
  findings: Finding[]
  runs: RunVerdict[]
}

export interface VerificationReport {
  edition: string
  category: Category
  groups: GroupVerdict[]
  /** every finding: runs, groups, systems, the submission and the loader */
  findings: Finding[]
  /** each system description's findings, by its path */
  systems: Array<{path: string; findings: Finding[]}>
  /** the submission-scope findings and the loader's problems */
  submission: Finding[]
  /** rule evaluations done, and how many of them could not be judged */
  evaluations: {total: number; notEvaluable: number}
}

interface Tally {
  total: number
  notEvaluable: number
}

/**
 * Apply an edition's rules to a loaded tree: run rules to every run, group
 * rules to every workload group, system rules to every system description,
 * submission rules once. Any error → INVALID, else any OPEN-only condition
 * (or the open division) → OPEN, else CLOSED.
 */
export function verifyTree(tree: LoadedTree, edition: RulesEdition, options: Record<string, unknown> = {}): VerificationReport {
  const tally: Tally = {total: 0, notEvaluable: 0}
  const rules = edition.rules ?? []
  const context: RuleContext = {edition: edition.name, options: {...edition.options, ...options}, tree}
  const runFindings = new Map<LoadedRun, Finding[]>()
  const groups: GroupVerdict[] = []
  for (const group of tree.groups) {
    const groupContext = {...context, group}
    for (const run of [...group.datasize, ...group.datagen, ...group.runs]) {
      runFindings.set(run, findingsForRun(run, rules, edition, groupContext, tally))
    }
    // a folder of datasize/datagen leaves alone (v1.0 `generation_logs/`) is not a result: group rules judge results
    const own = group.runs.length === 0 ? [] : applicable(rules, 'group', group.benchmark).flatMap(rule => evaluate(rule, group, groupContext, edition, tally, group.division))
    const members = [...group.datasize, ...group.datagen, ...group.runs]
    const runs = members.map(run => {
      const findings = runFindings.get(run) ?? []
      return {path: run.path, command: run.command, category: categorize(findings, divisionOf(run.division)), findings}
    })
    const findings = [...own, ...runs.flatMap(run => run.findings)]
    const {path, division, organization, system, benchmark, model, accelerator}: GroupIdentity = group
    groups.push({
      path, division, organization, system, benchmark, model, accelerator,
      category: categorize(findings, divisionOf(group.division)), findings, runs,
    })
  }
  const systems = tree.systems.map(system => ({path: system.path,
    findings: applicable(rules, 'system', undefined).flatMap(rule => evaluate(rule, system, context, edition, tally, system.division))}))
  const systemFindings = systems.flatMap(system => system.findings)
  const submissionFindings = applicable(rules, 'submission', undefined).flatMap(rule => evaluate(rule, tree, context, edition, tally, undefined))
  const findings = [...tree.problems, ...submissionFindings, ...systemFindings, ...groups.flatMap(group => group.findings)]
  return {
    edition: edition.name, category: overallCategory(groups, [...tree.problems, ...submissionFindings, ...systemFindings]), groups, findings, evaluations: tally,
    systems, submission: [...tree.problems, ...submissionFindings],
  }
}

/**
 * The edition's run rules on one run, as the lifecycle applies them right
 * after a benchmark (the lifecycle adds its own status and engine findings).
 */
export function verifyRun(run: LoadedRun, edition: RulesEdition, catalogue: ResultsCatalogue, options: Record<string, unknown> = {}): Finding[] {
  const tree: LoadedTree = {root: run.absolutePath, runs: [run], groups: [], systems: [], problems: [], listing: {folders: [], files: []}, benchmarks: catalogue.installed()}
  const context: RuleContext = {edition: edition.name, options: {...edition.options, ...options}, tree}
  return findingsForRun(run, edition.rules ?? [], edition, context, {total: 0, notEvaluable: 0}, false)
}

/**
 * Whether the edition judges runs of this benchmark: the benchmarks it says
 * it covers, else those its rules are written for. Rules that apply to every
 * benchmark (the system, the folder layout) do not count: a run of a
 * benchmark the edition never heard of was not checked, whatever else held.
 */
/** The edition's system-scope rules on one system description (`mlps system check`). */
export function verifySystem(system: SystemDescription, edition: RulesEdition, tree: LoadedTree): Finding[] {
  const tally: Tally = {total: 0, notEvaluable: 0}
  const context: RuleContext = {edition: edition.name, options: {...edition.options}, tree}
  return applicable(edition.rules ?? [], 'system', undefined).flatMap(rule => evaluate(rule, system, context, edition, tally, system.division))
}

export function editionCovers(edition: RulesEdition, benchmark: string | undefined): boolean {
  return benchmark !== undefined && (edition.covers ?? benchmarksNamedBy(edition.rules ?? [])).includes(benchmark)
}

/** the benchmark folders rules are written for */
export function benchmarksNamedBy(rules: readonly AnyRule[]): string[] {
  return [...new Set(rules.flatMap(rule => rule.benchmarks ?? []))]
}

function findingsForRun(run: LoadedRun, rules: readonly AnyRule[], edition: RulesEdition, context: RuleContext, tally: Tally, withCoreFindings = true): Finding[] {
  const findings: Finding[] = [...run.problems, ...withCoreFindings ? coreRunFindings(run, context.tree) : []]
  for (const rule of applicable(rules, 'run', run.benchmark)) {
    if (rule.commands && !rule.commands.includes(run.command ?? 'run')) continue
    findings.push(...evaluate(rule, run, context, edition, tally, run.division))
  }
  return findings
}

function coreRunFindings(run: LoadedRun, tree: LoadedTree): Finding[] {
  const findings: Finding[] = [...missingResultFindings(run), ...figureRangeFindings(run)]
  const evidence = run.sources.record ? [{file: run.sources.record, path: 'status', value: run.status}] : []
  if (run.status === 'RUNNING') {
    findings.push(unfinishedRunFinding(run, evidence))
  } else if (run.status && run.status !== 'COMPLETED') {
    findings.push({ruleId: 'mlps.run.completed', severity: 'error', kind: 'run', message: `${run.path}: the run is ${run.status}; only completed runs count`, evidence,
      fix: 're-run it, or remove the folder if a complete run replaces it'})
  }
  if (run.engine && !run.engine.closedEligible) {
    const benchmark = run.benchmark === undefined ? undefined : tree.benchmarks[run.benchmark]
    findings.push({ruleId: 'mlps.engine.closedEligible', severity: 'warn', openOnly: true, message: `${run.path}: engine "${run.engine.name}" is an emulation; its results can never be CLOSED`,
      evidence: run.sources.record ? [{file: run.sources.record, path: 'engine.name', value: run.engine.name}] : [], fix: officialEngineFix(benchmark?.name ?? run.benchmark, benchmark?.officialEngines)})
  }
  return findings
}

/**
 * A record still saying RUNNING: mlps writes the final status whatever ends
 * a run (failure, SIGINT, SIGTERM), so this one's process was killed where
 * it could not (SIGKILL, the out-of-memory killer, a host that went down),
 * unless the run is still going. The process the record names says which,
 * on the host that ran it; elsewhere it cannot be told.
 */
function unfinishedRunFinding(run: LoadedRun, evidence: Finding['evidence']): Finding {
  const started = run.startedAt ? `started ${run.startedAt.toISOString()}` : 'with no start time in its record'
  const ran = run.record?.invocation.process
  const liveness = ran ? processState(ran) : undefined
  const processEvidence = ran && run.sources.record ? [{file: run.sources.record, path: 'invocation.process', value: `${ran.hostname}:${ran.pid}`}] : []
  const base = {ruleId: 'mlps.run.completed', severity: 'error' as const, kind: 'run' as const, evidence: [...evidence ?? [], ...processEvidence]}
  if (liveness?.state === 'alive') {
    return {...base, message: `${run.path}: the run ${started} is still running (${liveness.detail}); its record says RUNNING until it ends`,
      fix: 'wait for it to finish, then verify again'}
  }
  if (liveness?.state === 'gone') {
    return {...base, message: `${run.path}: the run ${started} is stale: its record still says RUNNING but the mlps process that ran it is gone (${liveness.detail}), killed (SIGKILL, out of memory) before it could record an end`,
      fix: 'look for the cause (dmesg for the OOM killer, the host\'s uptime), remove the leaf and run it again (mlps runs remove <leaf>)'}
  }
  const cannotTell = liveness ? ` (${liveness.detail})` : ''
  return {...base,
    message: `${run.path}: the run ${started} never finished: its record still says RUNNING, so the mlps process that ran it was killed (SIGKILL, out of memory, host down) before it could record an end, unless it still runs${cannotTell}`,
    fix: 'if no run is in progress there, look for the cause (dmesg for the OOM killer, the host\'s uptime), remove the leaf and run it again; a still-running run finishes its record itself'}
}

function applicable<S extends RuleScope>(rules: readonly AnyRule[], scope: S, benchmark: string | undefined): Array<Extract<AnyRule, {scope: S}>> {
  return rules.filter((rule): rule is Extract<AnyRule, {scope: S}> =>
    rule.scope === scope && (!rule.benchmarks || (benchmark !== undefined && rule.benchmarks.includes(benchmark))))
}

function evaluate<S extends RuleScope>(rule: Extract<AnyRule, {scope: S}>, subject: RuleSubjects[S], context: RuleContext, edition: RulesEdition, tally: Tally, division: Division | undefined): Finding[] {
  if (rule.divisions && division && !rule.divisions.includes(division)) return []
  tally.total++
  let outcomes: RuleOutcome[]
  try {
    const result = (rule.check as (s: RuleSubjects[S], c: RuleContext) => RuleOutcome | RuleOutcome[])(subject, context)
    outcomes = Array.isArray(result) ? result : [result]
  } catch (error) {
    outcomes = [{status: 'notEvaluable', message: `the rule could not read its inputs (${(error as Error).message})`}]
  }
  const severity: Severity = edition.severities?.[rule.id] ?? rule.severity
  const findings: Finding[] = []
  for (const outcome of outcomes) {
    if (outcome.status === 'pass') continue
    if (outcome.status === 'notEvaluable') {
      tally.notEvaluable++
      findings.push({ruleId: rule.id, severity: severity === 'info' ? 'info' : 'warn', kind: 'rule', notEvaluable: true,
        message: `not evaluable: ${outcome.message}`, fix: outcome.fix, evidence: outcome.evidence ?? []})
      continue
    }
    findings.push({ruleId: rule.id, severity: outcome.severity ?? severity, kind: outcome.kind ?? 'rule', message: outcome.message, fix: outcome.fix,
      evidence: outcome.evidence ?? [], ...(outcome.openOnly ? {openOnly: true} : {})})
  }
  return findings
}

function divisionOf(division: Division | undefined): Division {
  // a run whose division cannot be told is judged by the stricter CLOSED rules
  return division ?? 'closed'
}

function overallCategory(groups: readonly GroupVerdict[], loose: readonly Finding[]): Category {
  if (groups.length === 0) return loose.some(f => f.severity === 'error') ? 'INVALID' : 'UNVERIFIED'
  if (loose.some(f => f.severity === 'error') || groups.some(group => group.category === 'INVALID')) return 'INVALID'
  if (loose.some(f => f.openOnly) || groups.some(group => group.category === 'OPEN')) return 'OPEN'
  return 'CLOSED'
}

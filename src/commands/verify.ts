import {Args, Flags} from '@oclif/core'
import {MlpsCommand} from '../command/mlps-command.js'
import {loadConfig} from '../config/load-config.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {RulesEdition} from '../registry/definitions.js'
import {editionOptions} from '../registry/edition-options.js'
import {getRegistry} from '../registry/load-registry.js'
import {type VerificationReport, verifyTree} from '../verify/evaluate.js'
import type {Finding} from '../verify/finding.js'
import {loadResultsTree} from '../verify/tree-loader.js'
import {renderFindingsByRule} from '../verify/render-findings.js'

export const editionFlag = Flags.string({description: 'rules edition to apply (default: rulesEdition from the config, "3.0")', helpGroup: 'RULES'})
export const optionFlag = Flags.string({
  description: 'a reading a rule leaves open, as key=value (e.g. ranksPerHost=at-least-4 for R 4.6.2)', multiple: true, helpGroup: 'RULES',
})

/** --option key=value → the edition's readings with them applied; a malformed, unknown or refused one is bad input naming the flag. */
export function parseRuleOptions(edition: RulesEdition, values: readonly string[] | undefined): Record<string, unknown> {
  const options: Record<string, string> = {}
  for (const value of values ?? []) {
    const equals = value.indexOf('=')
    if (equals <= 0) throw new MlpsError(`"${value}" is not key=value`, {where: '--option', fix: 'write it as --option ranksPerHost=at-least-4'})
    options[value.slice(0, equals)] = value.slice(equals + 1)
  }
  return editionOptions(edition, options)
}

/** The edition the user asked for (flag, else config), or a bad-input error listing the installed ones. */
export async function resolveEdition(command: MlpsCommand, flag: string | undefined, configFile: string | undefined): Promise<RulesEdition> {
  const name = flag ?? (await loadConfig({configFile})).config.rulesEdition
  const registry = await getRegistry(command.config)
  const edition = registry.edition(name)
  if (!edition) {
    const installed = [...registry.rulesEditions.keys()]
    throw new MlpsError(`no rules edition "${name}" is installed`, {
      where: flag ? '--edition' : 'rulesEdition (config)', exitCode: ExitCode.BadInput,
      fix: installed.length > 0 ? `use one of: ${installed.join(', ')}` : 'install a rules plugin (mlps plugins install ...)',
    })
  }
  return edition
}

export default class Verify extends MlpsCommand {
  static summary = 'Verify runs and submission trees against a rules edition'
  static description = 'PATH may be a run leaf, a workload folder, a system, a whole submission, or any results folder mlps wrote; v1.0, v3.0 and mlps layouts are read. Findings are grouped by rule with the evidence (file and JSON path) and a fix; a rule whose inputs are missing says "not evaluable". Exit 0 when nothing is INVALID, 4 when something is.'
  static examples = [
    '<%= config.bin %> verify mlps-results',
    '<%= config.bin %> verify ./submission/closed/acme --edition 3.0-corrected',
    '<%= config.bin %> verify ./storage_results_v1.0 --edition 1.0 --json',
    '<%= config.bin %> verify ./submission --option ranksPerHost=at-least-4',
  ]
  static args = {path: Args.string({description: 'results folder to verify', required: true})}
  static flags = {edition: editionFlag, option: optionFlag}

  async run(): Promise<{edition: string; category: string; evaluations: VerificationReport['evaluations']; groups: Array<{path: string; benchmark?: string; model?: string; category: string; findings: Finding[]}>; findings: Finding[]}> {
    const {args, flags} = await this.parse(Verify)
    const edition = await resolveEdition(this, flags.edition, flags.config)
    const options = parseRuleOptions(edition, flags.option)
    const progress = this.createProgress()
    progress.stage(`Loading results from ${args.path}`)
    const tree = await loadResultsTree(args.path, (await getRegistry(this.config)).results())
    progress.stage(`Verifying ${tree.runs.length} run(s) with edition ${edition.name}`)
    if (tree.runs.length === 0 && tree.systems.length === 0) {
      throw new MlpsError('no run folders found (no metadata.json, *_metadata.json or file an installed benchmark reads)', {where: args.path, fix: 'point at a results folder mlps or a benchmark engine wrote'})
    }
    const report = verifyTree(tree, edition, options)
    progress.done()
    if (report.category === 'INVALID') process.exitCode = ExitCode.Invalid
    if (!this.jsonEnabled()) this.say(renderVerification(report))
    return {
      edition: report.edition, category: report.category, evaluations: report.evaluations,
      groups: report.groups.map(group => ({path: group.path, benchmark: group.benchmark, model: group.model, accelerator: group.accelerator, division: group.division, category: group.category, findings: group.findings})),
      findings: report.findings,
    }
  }
}

function renderVerification(report: VerificationReport): string {
  const lines = [renderFindingsByRule(report.findings), '', 'categories:']
  const width = Math.max(...report.groups.map(group => group.path.length), 4)
  for (const group of report.groups) {
    lines.push(`  ${group.path.padEnd(width)}  ${(group.benchmark ?? '?').padEnd(13)} ${(group.model ?? '?').padEnd(12)} ${group.category}`)
    for (const run of group.runs.filter(run => run.category !== group.category)) lines.push(`    ${run.path}  ${run.category}`)
  }
  const {total, notEvaluable} = report.evaluations
  lines.push('', `edition ${report.edition}: ${total} rule evaluations, ${notEvaluable} not evaluable; overall ${report.category}`)
  return lines.join('\n')
}

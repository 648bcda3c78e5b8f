import {basename, relative} from 'node:path'
import {Flags} from '@oclif/core'
import {parse as parseYaml} from 'yaml'
import {requireCollector} from '../../cluster/resolve-collector.js'
import {MlpsCommand} from '../../command/mlps-command.js'
import {MlpsError} from '../../errors.js'
import {ExitCode} from '../../exit-codes.js'
import {resolveHosts} from '../../hosts/resolve-hosts.js'
import {getRegistry} from '../../registry/load-registry.js'
import {driftFindings, readSystemDescription} from '../../results/system-description.js'
import {missingDescription, resolveSystemTarget, systemTargetFlags} from '../../results/system-target-flags.js'
import {verifySystem} from '../../verify/evaluate.js'
import type {Finding} from '../../verify/finding.js'
import {renderFindingsByRule} from '../../verify/render-findings.js'
import {editionFlag} from '../verify.js'

export default class SystemCheck extends MlpsCommand {
  static summary = 'Check the system description: its schema, every placeholder still to fill in, and how the hosts differ from it'
  static description = 'The rules edition\'s system rules judge the file (each placeholder is a finding with its YAML path); the collector then gathers the hosts\' facts and every difference from the described clients (a client added, memory changed) is a finding. Exit 0 when nothing is an error, 4 when something is, 2 when there is no description.'
  static examples = ['<%= config.bin %> system check', '<%= config.bin %> system check --hosts node[01-04] --collector ssh --json', '<%= config.bin %> system check --collector none']
  static flags = {
    ...systemTargetFlags,
    edition: editionFlag,
    hosts: Flags.string({description: 'the client hosts to compare with the description [config: hosts]', multiple: true}),
    collector: Flags.string({description: 'how the hosts\' facts are collected; none skips the comparison [config: collector]', options: ['local', 'mpi', 'ssh', 'none']}),
  }

  async run(): Promise<{file: string; edition: string; findings: Finding[]; comparedHosts: string[]}> {
    const {flags} = await this.parse(SystemCheck)
    const {resolved, target} = await resolveSystemTarget(flags)
    const {config} = resolved
    const registry = await getRegistry(this.config)
    const editionName = flags.edition ?? config.rulesEdition
    const edition = registry.edition(editionName)
    if (!edition) {
      throw new MlpsError(`no rules edition "${editionName}" is installed`, {where: flags.edition ? '--edition' : 'rulesEdition (config)', fix: `use one of: ${[...registry.rulesEditions.keys()].join(', ')}`})
    }
    const text = await readSystemDescription(target.file)
    if (text === undefined) throw missingDescription(target.file)
    let data: unknown
    try {
      data = parseYaml(text)
    } catch (error) {
      throw new MlpsError(`cannot be parsed: ${(error as Error).message}`, {where: target.file, fix: 'fix the YAML syntax'})
    }
    const root = config.resultsDir
    const system = {path: relative(root, target.file), name: basename(target.file, '.yaml'), format: 'yaml' as const, division: target.division, organization: target.organization, data}
    const tree = {root, runs: [], groups: [], systems: [system], problems: [], listing: {folders: [], files: []}, benchmarks: registry.results().installed()}
    const findings = verifySystem(system, edition, tree)
    let comparedHosts: string[] = []
    if (!edition.systemDescription) {
      findings.push({ruleId: 'mlps.system.description', severity: 'info', notEvaluable: true, message: `rules edition "${edition.name}" does not describe systems, so the hosts were not compared`})
    } else if (config.collector === 'none') {
      findings.push({ruleId: 'mlps.system.description', severity: 'info', notEvaluable: true, message: 'collector none: the hosts were not compared with the description', fix: 'pass --collector local, ssh or mpi'})
    } else {
      const collector = requireCollector(registry, config.collector)
      const snapshot = await collector.snapshot({hosts: await resolveHosts(resolved, undefined), config})
      comparedHosts = snapshot.hosts.map(host => host.host)
      for (const failure of snapshot.missing) {
        findings.push({ruleId: 'mlps.system.description', severity: 'warn', kind: 'environment', message: `${failure.host} did not answer (${failure.reason}: ${failure.message}); it was not compared`})
      }
      if (snapshot.hosts.length > 0) findings.push(...driftFindings(edition.systemDescription, target, snapshot.hosts, text))
    }
    if (findings.some(f => f.severity === 'error')) process.exitCode = ExitCode.Invalid
    if (!this.jsonEnabled()) {
      this.say(`${target.file} (rules edition ${edition.name}${comparedHosts.length > 0 ? `, compared with ${comparedHosts.join(', ')}` : ''}):`)
      this.say(findings.length === 0 ? '  nothing to fill in, no difference from the hosts' : renderFindingsByRule(findings))
    }
    return {file: target.file, edition: edition.name, findings, comparedHosts}
  }
}

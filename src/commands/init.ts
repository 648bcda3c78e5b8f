import {resolve} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {MlpsCommand} from '../command/mlps-command.js'
import {loadConfig} from '../config/load-config.js'
import {describeSource, sourceOf} from '../config/provenance.js'
import {initTree} from '../results/init-tree.js'
import type {TreeSentinel} from '../results/tree-sentinel.js'

/** What `mlps init --json` prints. */
export interface InitResult {
  resultsDir: string
  /** the sentinel file, `<resultsDir>/.mlps/tree.json` */
  file: string
  /** false when the tree already belonged to this organization and nothing was written */
  created: boolean
  sentinel: TreeSentinel
  /** what the tree needs next, in order */
  next: string[]
  warnings: string[]
}

export default class Init extends MlpsCommand {
  static summary = 'Start a results tree for an organization: later runs in it are filed under that organization'
  static description = 'Writes <results-dir>/.mlps/tree.json (organization, created at, by which mlps). Every benchmark command in the tree takes the organization from it; running init again with the same organization changes nothing, with another one is exit 2. The name must use only A-Z a-z 0-9 . _ - (the rules\' folder-name characters).'
  static examples = ['<%= config.bin %> init acme --results-dir /mnt/results', '<%= config.bin %> init Acme_Labs --json']
  static args = {
    organization: Args.string({description: 'the submitter organization, as its results folder is named (case-sensitive)', required: true}),
  }

  static flags = {
    'results-dir': Flags.string({description: 'root of the results tree [config: resultsDir]'}),
  }

  async run(): Promise<InitResult> {
    const {args, flags} = await this.parse(Init)
    const resolved = await loadConfig({configFile: flags.config, flags: [{path: 'resultsDir', value: flags['results-dir'], flag: '--results-dir'}]})
    const resultsDir = resolve(resolved.config.resultsDir)
    const outcome = await initTree(resultsDir, args.organization, this.config.version)
    const {organization} = outcome.sentinel
    const warnings: string[] = []
    const configured = resolved.config.organization
    if (configured !== undefined && configured !== organization) {
      warnings.push(`organization "${configured}" is set by ${describeSource(sourceOf('organization', resolved.sources))}: benchmark commands in this tree will stop (exit 2) until it is removed or set to "${organization}"`)
    }
    const next = [
      'name the system under test on every run: --system-name <system> (or systemName in the config, or MLPS_SYSTEM_NAME), of the characters A-Z a-z 0-9 . _ -',
      `run the benchmarks into this tree (mlps <benchmark> run --closed --system-name <system> --results-dir ${resultsDir} ...): their leaves go under ${resultsDir}/<closed|open>/${organization}/results/<system>/`,
      `describe each system in ${resultsDir}/<closed|open>/${organization}/systems/<system>.yaml (rule 2.1.8: one per results/<system> folder)`,
      `check the tree: mlps verify ${resultsDir}`,
    ]
    if (!this.jsonEnabled()) {
      this.say(outcome.created
        ? `started the results tree ${resultsDir} for organization "${organization}" (wrote ${outcome.file})`
        : `the results tree ${resultsDir} already belongs to organization "${organization}" (since ${outcome.sentinel.createdAt}); nothing changed`)
      for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`)
      this.say('next:')
      for (const [index, step] of next.entries()) this.say(`  ${index + 1}. ${step}`)
    }
    return {resultsDir, file: outcome.file, created: outcome.created, sentinel: outcome.sentinel, next, warnings}
  }
}

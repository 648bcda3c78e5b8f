import {Args, Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {loadConfig} from '../../config/load-config.js'
import {MlpsError} from '../../errors.js'
import {RunStatusSchema} from '../../results/run-record.js'
import {CategorySchema} from '../../verify/finding.js'
import {filterRows, type RunRow, runRows, shownStatus} from '../../runs/run-rows.js'
import {verifiedTree} from '../../runs/verified-tree.js'
import {editionFlag, optionFlag} from '../verify.js'

export default class RunsList extends MlpsCommand {
  static summary = 'Every run leaf of a results tree: benchmark, model, system, status, category, start time and headline figure'
  static examples = ['<%= config.bin %> runs list', '<%= config.bin %> runs list ./submission --model unet3d --status COMPLETED --since 2026-01-01', '<%= config.bin %> runs list --category INVALID --json']
  static args = {'results-dir': Args.string({description: 'the results tree (default: resultsDir from the config)'})}
  static flags = {
    benchmark: Flags.string({description: 'only runs of this benchmark folder'}),
    model: Flags.string({description: 'only runs of this model'}),
    accelerator: Flags.string({description: 'only runs for this accelerator'}),
    system: Flags.string({description: 'only runs of this system'}),
    division: Flags.option({description: 'only closed or open runs', options: ['closed', 'open'] as const})(),
    status: Flags.option({description: 'only runs with this status', options: RunStatusSchema.options})(),
    category: Flags.option({description: 'only runs verify puts in this category', options: CategorySchema.options})(),
    command: Flags.string({description: 'only these invocations (run, datagen, datasize)'}),
    since: Flags.string({description: 'only runs started at or after this time (ISO 8601)'}),
    until: Flags.string({description: 'only runs started at or before this time (ISO 8601)'}),
    edition: editionFlag,
    option: optionFlag,
  }

  async run(): Promise<{runs: Array<Omit<RunRow, 'findings' | 'absolutePath'> & {errors: number}>}> {
    const {args, flags} = await this.parse(RunsList)
    for (const name of ['since', 'until'] as const) {
      if (flags[name] !== undefined && Number.isNaN(Date.parse(flags[name]))) {
        throw new MlpsError(`"${flags[name]}" is not a time`, {where: `--${name}`, fix: 'write it as ISO 8601, e.g. 2026-12-01 or 2026-12-01T12:00:00Z'})
      }
    }
    const resultsDir = args['results-dir'] ?? (await loadConfig({configFile: flags.config})).config.resultsDir
    const {tree, report, catalogue} = await verifiedTree(this, resultsDir, flags)
    const rows = filterRows(runRows(tree, report, catalogue), flags)
    if (!this.jsonEnabled()) this.say(renderRows(rows))
    return {runs: rows.map(({findings, absolutePath: _absolute, ...row}) => ({...row, errors: findings.filter(finding => finding.severity === 'error').length}))}
  }
}

function renderRows(rows: readonly RunRow[]): string {
  if (rows.length === 0) return 'no runs match'
  const table = rows.map(row => [
    row.startedAt?.replace('T', ' ').slice(0, 19) ?? '?', row.benchmark ?? '?', [row.model, row.accelerator].filter(Boolean).join(' ') || '?', row.system ?? '?',
    row.command ?? '', shownStatus(row) ?? '?', row.category, row.headline ? `${row.headline.value.toPrecision(4)} ${row.headline.label}` : '', row.path,
  ])
  const head = ['started', 'benchmark', 'workload', 'system', 'command', 'status', 'category', 'headline', 'leaf']
  const widths = head.map((title, column) => Math.max(title.length, ...table.map(line => line[column].length)))
  const line = (cells: string[]) => cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column])).join('  ')
  const stale = rows.filter(row => row.liveness?.state === 'gone')
  const notes = stale.length > 0 ? [`${stale.length} RUNNING record${stale.length === 1 ? ' is' : 's are'} stale: the mlps process that ran ${stale.length === 1 ? 'it' : 'them'} is gone (mlps verify says more)`] : []
  return [line(head), ...table.map(line), '', `${rows.length} run${rows.length === 1 ? '' : 's'}`, ...notes].join('\n')
}

import {relative} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import type {RunRecord} from '../../results/run-record.js'
import {resolveLeaf, resultsRootOf} from '../../runs/results-root.js'
import {runFigures, type RunRow, runRows, shownStatus} from '../../runs/run-rows.js'
import {verifiedTree} from '../../runs/verified-tree.js'
import {renderFindingsByRule} from '../../verify/render-findings.js'
import {MlpsError} from '../../errors.js'
import {editionFlag, optionFlag} from '../verify.js'

export default class RunsShow extends MlpsCommand {
  static summary = "One run: its record, the findings verify has for it (with its workload's), and its files"
  static examples = ['<%= config.bin %> runs show mlps-results/open/acme/results/sut1/training/unet3d/run/20261201_120000']
  static args = {leaf: Args.string({description: 'the run leaf (absolute, or relative to the results dir)', required: true})}
  static flags = {'results-dir': Flags.string({description: 'the results tree the leaf is in (default: the folder above its division folder)'}), edition: editionFlag, option: optionFlag}

  async run(): Promise<{run: Omit<RunRow, 'absolutePath'>; figures: Array<{label: string; value: number}>; record?: RunRecord; files: string[]}> {
    const {args, flags} = await this.parse(RunsShow)
    const leaf = await resolveLeaf(args.leaf, flags['results-dir'], 'LEAF')
    const root = flags['results-dir'] ?? resultsRootOf(leaf) ?? leaf
    const {tree, report, catalogue} = await verifiedTree(this, root, flags)
    const run = tree.runs.find(candidate => candidate.absolutePath === leaf)
    const row = runRows(tree, report, catalogue).find(candidate => candidate.absolutePath === leaf)
    if (!run || !row) throw new MlpsError(`${relative(process.cwd(), leaf) || leaf} is not a run leaf`, {where: 'LEAF', fix: 'pass a folder holding a run (its metadata.json or summary.json); mlps runs list shows them'})
    const figures = runFigures(run, catalogue)
    if (!this.jsonEnabled()) {
      const lines = [
        `${row.path}`,
        `  ${[row.benchmark, row.model, row.accelerator].filter(Boolean).join(' ')}  ${row.command}  on ${row.system ?? '?'} (${row.division ?? '?'}/${row.organization ?? '?'})`,
        `  status ${shownStatus(row) ?? '?'}, category ${row.category}, engine ${row.engine ?? '?'}, started ${row.startedAt ?? '?'}${run.endedAt ? `, ended ${run.endedAt.toISOString()}` : ''}`,
        ...row.liveness ? [`  its mlps process: ${row.liveness.detail}`] : [],
        ...figures.map(figure => `  ${figure.label}: ${figure.value}`),
        ...Object.keys(run.userOverrides).length > 0 ? [`  overrides: ${Object.entries(run.userOverrides).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(' ')}`] : [],
        '', 'files:', ...run.files.map(file => `  ${file}`),
        '', row.findings.length > 0 ? renderFindingsByRule(row.findings) : 'no findings',
      ]
      this.say(lines.join('\n'))
    }
    const {absolutePath: _absolute, ...shown} = row
    return {run: shown, figures, record: run.record, files: run.files}
  }
}

import {Args, Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {MlpsError} from '../../errors.js'
import {compareRuns, type RunComparison} from '../../runs/compare-runs.js'
import {resolveLeaf, resultsRootOf} from '../../runs/results-root.js'
import {getRegistry} from '../../registry/load-registry.js'
import {loadResultsTree} from '../../verify/tree-loader.js'

export default class RunsCompare extends MlpsCommand {
  static summary = 'Two runs side by side: the parameters that differ, and their figures with the difference in %'
  static examples = ['<%= config.bin %> runs compare <leaf-a> <leaf-b>', '<%= config.bin %> runs compare <leaf-a> <leaf-b> --json']
  static args = {
    a: Args.string({description: 'the first run leaf (the baseline)', required: true}),
    b: Args.string({description: 'the second run leaf', required: true}),
  }
  static flags = {'results-dir': Flags.string({description: 'resolve relative leaves under this results tree'})}

  async run(): Promise<RunComparison> {
    const {args, flags} = await this.parse(RunsCompare)
    const catalogue = (await getRegistry(this.config)).results()
    const [a, b] = await Promise.all((['a', 'b'] as const).map(async name => {
      const leaf = await resolveLeaf(args[name], flags['results-dir'], name.toUpperCase())
      // loaded from its results root, so the path tells its benchmark, model and system
      const tree = await loadResultsTree(resultsRootOf(leaf) ?? leaf, catalogue)
      const run = tree.runs.find(candidate => candidate.absolutePath === leaf)
      if (!run) throw new MlpsError(`${args[name]} is not a run leaf`, {where: name.toUpperCase(), fix: 'pass a folder holding a run (mlps runs list shows them)'})
      return run
    }))
    if (a.benchmark !== b.benchmark) this.say(`note: ${a.path} is ${a.benchmark ?? '?'} and ${b.path} is ${b.benchmark ?? '?'}; only figures both have are compared`)
    const comparison = compareRuns(a, b, catalogue)
    if (!this.jsonEnabled()) this.say(renderComparison(comparison))
    return comparison
  }
}

const shown = (value: unknown) => value === undefined ? '(absent)' : JSON.stringify(value)

function renderComparison(comparison: RunComparison): string {
  const lines = [`A ${comparison.a}`, `B ${comparison.b}`, '']
  if (comparison.parameters.length === 0) lines.push('parameters: the same')
  else {
    lines.push('parameters that differ:')
    const width = Math.max(...comparison.parameters.map(p => p.key.length))
    for (const p of comparison.parameters) lines.push(`  ${p.key.padEnd(width)}  A ${shown(p.a)}  B ${shown(p.b)}`)
  }
  lines.push('', 'figures:')
  const width = Math.max(0, ...comparison.figures.map(f => f.name.length))
  for (const f of comparison.figures) {
    const difference = f.differencePercent === undefined ? 'n/a' : `${f.differencePercent >= 0 ? '+' : ''}${f.differencePercent.toFixed(1)} %`
    lines.push(`  ${f.name.padEnd(width)}  A ${f.a.toPrecision(6)}  B ${f.b.toPrecision(6)}  ${difference}`)
  }
  return lines.join('\n')
}

import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {MlpsError} from '../../errors.js'
import {buildResultsReport, writeResultsReport} from '../../report/write-report.js'
import type {ReportRow} from '../../report/report-row.js'
import {getRegistry} from '../../registry/load-registry.js'
import {loadResultsTree} from '../../verify/tree-loader.js'
import {editionFlag, optionFlag, parseRuleOptions, resolveEdition} from '../verify.js'

export default class ReportGen extends MlpsCommand {
  static summary = 'Write results.json, results.csv and report.html from a results tree'
  static description = 'Loads every run under --results-dir (v1.0, v3.0 and mlps layouts), verifies it with the rules edition, and aggregates one row per (division, organization, system, benchmark, model, accelerator): run count, hosts, accelerators, the category, and the metric columns each installed benchmark declares (for training: mean and population stdev of samples/s and MiB/s over the counted runs, the warm-up excluded in v3.0, read GiB/s and mean AU). A metric that cannot be computed is "n/a" with the reason in the findings. report.html is one self-contained file with tables and charts per workload.'
  static examples = [
    '<%= config.bin %> reports reportgen --results-dir mlps-results',
    '<%= config.bin %> reports reportgen --results-dir ./storage_results_v1.0 --edition 1.0 --output-dir /tmp/report',
  ]
  static flags = {
    'results-dir': Flags.string({description: 'results folder to report on', required: true}),
    'output-dir': Flags.string({description: 'where to write results.json, results.csv and report.html (default: --results-dir)'}),
    edition: editionFlag,
    option: optionFlag,
  }

  async run(): Promise<{edition: string; category: string; files: string[]; rows: ReportRow[]}> {
    const {flags} = await this.parse(ReportGen)
    const edition = await resolveEdition(this, flags.edition, flags.config)
    const resultsDir = resolve(flags['results-dir'])
    const progress = this.createProgress()
    progress.stage(`Loading results from ${resultsDir}`)
    const registry = await getRegistry(this.config)
    const tree = await loadResultsTree(resultsDir, registry.results())
    if (tree.runs.length === 0) {
      throw new MlpsError('no run folders found', {where: flags['results-dir'], fix: 'point --results-dir at a folder mlps or a benchmark engine wrote results into'})
    }
    progress.stage(`Verifying and aggregating ${tree.runs.length} run(s)`)
    const {report} = buildResultsReport(tree, edition, registry.results(), parseRuleOptions(edition, flags.option))
    const outputDir = resolve(flags['output-dir'] ?? resultsDir)
    progress.stage(`Writing the report to ${outputDir}`)
    const files = await writeResultsReport(report, registry.results(), resultsDir, outputDir)
    progress.done()
    if (!this.jsonEnabled()) {
      const missing = report.rows.reduce((count, row) => count + Object.keys(row.missing).length, 0)
      this.say(`${report.rows.length} workload row(s), edition ${report.edition}, overall ${report.category}${missing ? `, ${missing} metric(s) n/a (see results.json findings)` : ''}`)
      for (const file of files) this.say(`  wrote ${file}`)
    }
    return {edition: report.edition, category: report.category, files, rows: report.rows}
  }
}

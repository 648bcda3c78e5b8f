import {join, relative} from 'node:path'
import type {RulesEdition} from '../registry/definitions.js'
import {writeFileAtomic, writeJsonAtomic} from '../results/atomic-write.js'
import {redactSecrets} from '../util/redact-secrets.js'
import {type VerificationReport, verifyTree} from '../verify/evaluate.js'
import type {Category, Finding} from '../verify/finding.js'
import type {LoadedTree} from '../verify/loaded-run.js'
import type {ResultsCatalogue} from '../verify/results-catalogue.js'
import {reportHtml} from './report-html.js'
import {buildRow, type ReportRow} from './report-row.js'
import {resultsCsv} from './results-csv.js'
import {loadRunTimeSeries} from './run-time-series.js'

export interface ResultsReport {
  edition: string
  generatedAt: string
  category: Category
  rows: ReportRow[]
  /** verification findings and the report's own (metrics that are n/a) */
  findings: Finding[]
}

/** Verify a loaded tree with an edition and aggregate every workload group into a row. */
export function buildResultsReport(tree: LoadedTree, edition: RulesEdition, catalogue: ResultsCatalogue, options: Record<string, unknown> = {}, now = new Date()): {report: ResultsReport; verification: VerificationReport} {
  const verification = verifyTree(tree, edition, options)
  const verdicts = new Map(verification.groups.map(group => [group.path, group]))
  const rows: ReportRow[] = []
  const reportFindings: Finding[] = []
  for (const group of tree.groups) {
    if (group.runs.length === 0) continue // a datasize/datagen folder on its own is not a result
    const {row, findings} = buildRow(group, verdicts.get(group.path), edition, catalogue)
    rows.push(row)
    reportFindings.push(...findings)
  }
  return {
    report: {edition: edition.name, generatedAt: now.toISOString(), category: verification.category, rows, findings: [...verification.findings, ...reportFindings]},
    verification,
  }
}

export const REPORT_FILES = ['results.json', 'results.csv', 'report.html'] as const

/** Write results.json, results.csv and report.html (with the runs' hosts' time series) into outputDir, each atomically. */
export async function writeResultsReport(unredacted: ResultsReport, catalogue: ResultsCatalogue, resultsDir: string, outputDir: string): Promise<string[]> {
  // records written before redaction existed may still hold a secret
  const report = redactSecrets(unredacted)
  const timeSeries = await loadRunTimeSeries(resultsDir, report.rows.flatMap(row => row.runLeaves))
  report.findings.push(...timeSeries.findings)
  const byRow = new Map<string, Finding[]>()
  for (const row of report.rows) {
    byRow.set(row.path, report.findings.filter(finding => finding.evidence?.some(evidence =>
      evidence.file !== undefined && (evidence.file === row.path || evidence.file.startsWith(`${row.path}/`) || row.runLeaves.some(leaf => evidence.file === leaf || evidence.file!.startsWith(`${leaf}/`))))
      || finding.message.startsWith(`${row.path}`)))
  }
  const files = REPORT_FILES.map(name => join(outputDir, name))
  await writeJsonAtomic(files[0], report)
  await writeFileAtomic(files[1], resultsCsv(report.rows, catalogue))
  await writeFileAtomic(files[2], reportHtml({
    edition: report.edition, generatedAt: report.generatedAt, category: report.category, rows: report.rows, findings: byRow, catalogue, timeSeries: timeSeries.series,
    href: leaf => relative(outputDir, join(resultsDir, leaf)) || '.',
  }))
  return files
}

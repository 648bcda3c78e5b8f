import type {ResultsCatalogue} from '../verify/results-catalogue.js'
import type {ReportRow} from './report-row.js'

const IDENTITY = ['division', 'organization', 'system', 'benchmark', 'model', 'accelerator', 'category', 'runs', 'hosts', 'accelerators'] as const

/**
 * results.csv: one line per workload row, with every installed benchmark's
 * metric columns. A metric that applies to the row but could not be computed
 * reads "n/a" (its reason is in results.json and the findings); another
 * benchmark's metric columns stay empty.
 */
export function resultsCsv(rows: readonly ReportRow[], catalogue: ResultsCatalogue): string {
  const columns = [...new Set(catalogue.benchmarks.flatMap(({results}) => results.report?.columns.map(column => column.id) ?? []))]
  const header = [...IDENTITY, ...columns, 'path', 'run_leaves']
  const lines = [header.join(',')]
  for (const row of rows) {
    const cells = [
      ...IDENTITY.map(key => row[key]),
      ...columns.map(column => column in row.metrics ? row.metrics[column] ?? 'n/a' : ''),
      row.path, row.runLeaves.join(' '),
    ]
    lines.push(cells.map(csvCell).join(','))
  }
  return lines.join('\n') + '\n'
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = String(value)
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

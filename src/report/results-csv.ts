import {ALL_METRIC_COLUMNS, METRIC_COLUMNS, type ReportRow} from './report-row.js'

const IDENTITY = ['division', 'organization', 'system', 'benchmark', 'model', 'accelerator', 'category', 'runs', 'hosts', 'accelerators'] as const

/**
 * results.csv: one line per workload row. A metric that applies to the row
 * but could not be computed reads "n/a" (its reason is in results.json and
 * the findings); another benchmark's metric columns stay empty.
 */
export function resultsCsv(rows: readonly ReportRow[]): string {
  const header = [...IDENTITY, ...ALL_METRIC_COLUMNS, 'path', 'run_leaves']
  const lines = [header.join(',')]
  for (const row of rows) {
    const own: readonly string[] = METRIC_COLUMNS[row.benchmark as keyof typeof METRIC_COLUMNS] ?? []
    const cells = [
      ...IDENTITY.map(key => row[key]),
      ...ALL_METRIC_COLUMNS.map(column => own.includes(column) ? row.metrics[column] ?? 'n/a' : ''),
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

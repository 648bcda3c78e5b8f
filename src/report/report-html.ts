import type {BenchmarkReport} from '../registry/benchmark-results.js'
import type {Category, Finding} from '../verify/finding.js'
import type {ResultsCatalogue} from '../verify/results-catalogue.js'
import type {ReportRow} from './report-row.js'
import {barChartSvg, escapeHtml, formatNumber} from './svg-chart.js'

export interface HtmlReportInput {
  edition: string
  generatedAt: string
  category: Category
  rows: readonly ReportRow[]
  /** findings by row path */
  findings: ReadonlyMap<string, readonly Finding[]>
  /** turns a leaf path (relative to the results folder) into a link relative to the report */
  href(leaf: string): string
  /** the benchmarks' report declarations: columns, labels, charts */
  catalogue: ResultsCatalogue
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1200px;color:#1d232b;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 6px;border-top:1px solid #dde2e8;padding-top:16px}
.meta{color:#5a6573}table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #dde2e8;padding:4px 8px;text-align:left}th{background:#f3f5f8}td.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px}
.CLOSED{background:#d6f2dd;color:#17622d}.OPEN{background:#fff1c7;color:#7a5a00}.INVALID{background:#fbd9d7;color:#8b1a13}.UNVERIFIED{background:#e6e9ee;color:#3a4350}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart-title{font-weight:600;font-size:13px}
.tick{font-size:11px;fill:#5a6573}.axis{stroke:#8a94a3}.bar{fill:#3f7cc4}.bar.faded{fill:#b9cbe3}.na{font-size:11px;fill:#8b1a13}
.mean{stroke:#1d232b;stroke-dasharray:6 4}.threshold{stroke:#c0392b;stroke-dasharray:2 3}
.na-cell{color:#8b1a13}ul.findings{margin:4px 0;padding-left:20px}.error{color:#8b1a13}.warn{color:#7a5a00}.info{color:#5a6573}
code{font-size:12px}`

/** report.html: one self-contained page (inline CSS and SVG, no script, no external resource). */
export function reportHtml(input: HtmlReportInput): string {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>MLPerf Storage results (${escapeHtml(input.edition)})</title><style>${STYLE}</style></head><body>`,
    '<h1>MLPerf Storage results</h1>',
    `<p class="meta">rules edition ${escapeHtml(input.edition)} · generated ${escapeHtml(input.generatedAt)} · overall ${badge(input.category)} · ${input.rows.length} workload${input.rows.length === 1 ? '' : 's'}</p>`,
    summaryTable(input.rows, input.catalogue),
    ...input.rows.map((row, index) => rowSection(row, index, input)),
    '</body></html>',
  ]
  return parts.join('\n')
}

function badge(category: Category): string {
  return `<span class="badge ${category}">${category}</span>`
}

function cell(row: ReportRow, column: string): string {
  const value = row.metrics[column]
  if (value === undefined) return '<td></td>'
  if (value === null) return `<td class="num na-cell" title="${escapeHtml(row.missing[column] ?? '')}">n/a</td>`
  return `<td class="num">${escapeHtml(formatNumber(value))}</td>`
}

function reportOf(row: ReportRow, catalogue: ResultsCatalogue): BenchmarkReport | undefined {
  return catalogue.byFolder(row.benchmark)?.results.report
}

function summaryTable(rows: readonly ReportRow[], catalogue: ResultsCatalogue): string {
  const head = ['division', 'organization', 'system', 'benchmark', 'model', 'accelerator', 'category', 'runs', 'hosts', 'accelerators', 'headline', '']
  const body = rows.map((row, index) => {
    const headline = reportOf(row, catalogue)?.headline
    return `<tr><td>${escapeHtml(row.division ?? '?')}</td><td>${escapeHtml(row.organization ?? '?')}</td><td><a href="#w${index}">${escapeHtml(row.system ?? row.path)}</a></td>` +
      `<td>${escapeHtml(row.benchmark ?? '?')}</td><td>${escapeHtml(row.model ?? '?')}</td><td>${escapeHtml(row.accelerator ?? '')}</td><td>${badge(row.category)}</td>` +
      `<td class="num">${row.runs}</td><td class="num">${row.hosts ?? ''}</td><td class="num">${row.accelerators ?? ''}</td>` +
      (headline ? cell(row, headline.column) + `<td>${escapeHtml(headline.label)}</td>` : '<td></td><td></td>') + '</tr>'
  })
  return `<table><thead><tr>${head.map(name => `<th>${name}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`
}

function rowSection(row: ReportRow, index: number, input: HtmlReportInput): string {
  const report = reportOf(row, input.catalogue)
  const findings = input.findings.get(row.path) ?? []
  return [
    `<h2 id="w${index}">${escapeHtml([row.organization, row.system, row.benchmark, row.model, row.accelerator].filter(Boolean).join(' · ') || row.path)} ${badge(row.category)}</h2>`,
    `<p class="meta">${escapeHtml(row.division ?? 'division unknown')} · <code>${escapeHtml(row.path)}</code> · ${row.runs} counted run${row.runs === 1 ? '' : 's'}</p>`,
    report ? metricTable(row, report) : '',
    `<div class="charts">${charts(row)}</div>`,
    runTable(row, input),
    findings.length > 0 ? `<details${row.category === 'INVALID' ? ' open' : ''}><summary>${findings.length} finding${findings.length === 1 ? '' : 's'}</summary><ul class="findings">${findings.map(findingItem).join('')}</ul></details>` : '',
  ].join('\n')
}

/** The workload's columns: one line of them, or the benchmark's own grid (KV cache: a line per option). */
function metricTable(row: ReportRow, report: BenchmarkReport): string {
  const {grid} = report
  if (grid) {
    const body = grid.lines.map(line => `<tr><td>${escapeHtml(line.label)}</td>${line.columns.map(column => cell(row, column)).join('')}</tr>`)
    return `<table><thead><tr>${[grid.corner, ...grid.head].map(name => `<th>${escapeHtml(name)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`
  }
  if (report.columns.length === 0) return ''
  return `<table><thead><tr>${report.columns.map(column => `<th>${escapeHtml(column.label)}</th>`).join('')}</tr></thead>` +
    `<tbody><tr>${report.columns.map(column => cell(row, column.id)).join('')}</tr></tbody></table>`
}

function charts(row: ReportRow): string {
  return row.charts.map(chart => barChartSvg(chart.bars, chart)).join('\n')
}

function runTable(row: ReportRow, input: HtmlReportInput): string {
  if (row.runLeaves.length === 0) return ''
  const figures = new Map(row.runFigures.map(run => [run.path, run]))
  const labels = [...new Set(row.runFigures.flatMap(run => Object.keys(run.figures)))]
  const body = row.runLeaves.map(leaf => {
    const run = figures.get(leaf)
    const value = (number: number | undefined) => number === undefined ? '<td class="num na-cell">n/a</td>' : `<td class="num">${escapeHtml(formatNumber(number))}</td>`
    return `<tr><td><a href="${escapeHtml(input.href(leaf))}">${escapeHtml(leaf)}</a></td><td>${run ? (run.counted ? 'counted' : 'not counted') : 'setup'}</td>` +
      labels.map(label => run ? value(run.figures[label]) : '<td></td>').join('') + '</tr>'
  })
  return `<details><summary>run leaves</summary><table><thead><tr><th>leaf</th><th></th>${labels.map(label => `<th>${escapeHtml(label)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></details>`
}

function findingItem(finding: Finding): string {
  return `<li class="${finding.severity}"><code>${escapeHtml(finding.ruleId)}</code> ${escapeHtml(finding.message)}${finding.fix ? ` <em>fix: ${escapeHtml(finding.fix)}</em>` : ''}</li>`
}

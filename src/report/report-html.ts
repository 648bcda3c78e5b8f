import type {BenchmarkReport} from '../registry/benchmark-results.js'
import type {Category, Finding} from '../verify/finding.js'
import type {ResultsCatalogue} from '../verify/results-catalogue.js'
import {crossSystemCharts} from './cross-system-chart.js'
import {lineChartSvg, type LineSeries} from './line-chart.js'
import type {ReportRow} from './report-row.js'
import {runLabel} from './run-label.js'
import type {RunTimeSeries} from './run-time-series.js'
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
  /** the hosts' time series by run leaf, for the runs that have one */
  timeSeries?: ReadonlyMap<string, RunTimeSeries>
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1320px;color:#1d232b;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 6px;border-top:1px solid #dde2e8;padding-top:16px}h3{font-size:14px;margin:16px 0 4px}
.meta{color:#5a6573}table{border-collapse:collapse;margin:8px 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid #dde2e8;padding:4px 8px;text-align:left}th{background:#f3f5f8}td.num{text-align:right;white-space:nowrap}
table.summary{width:100%}table.summary th,table.summary td{padding:3px 6px}table.summary td.system{overflow-wrap:anywhere;min-width:12em}
td.unit{white-space:nowrap;color:#5a6573;font-size:12px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;white-space:nowrap}
.CLOSED{background:#d6f2dd;color:#17622d}.OPEN{background:#fff1c7;color:#7a5a00}.INVALID{background:#fbd9d7;color:#8b1a13}.UNVERIFIED{background:#e6e9ee;color:#3a4350}
.flag{color:#8b1a13;font-weight:600;white-space:nowrap;text-decoration:none;margin-left:4px}
.group-finding{border-left:5px solid #c0392b;background:#fdf0ef;padding:8px 12px;margin:8px 0;border-radius:3px}.group-finding.warn{border-color:#d4a017;background:#fff8e1}
.group-finding strong{display:block;margin-bottom:2px}
.charts{display:flex;flex-wrap:wrap;gap:12px}.chart-title{font-weight:600;font-size:13px}
.tick{font-size:11px;fill:#5a6573}.axis{stroke:#8a94a3}.bar{fill:#3f7cc4}.bar.faded{fill:#b9cbe3}.na{font-size:11px;fill:#8b1a13}
.mean{stroke:#1d232b;stroke-dasharray:6 4}.threshold{stroke:#c0392b;stroke-dasharray:2 3}
.na-cell{color:#8b1a13}ul.findings{margin:4px 0;padding-left:20px}ul.findings ul{padding-left:18px}.error{color:#8b1a13}.warn{color:#7a5a00}.info{color:#5a6573}
.fix{color:#1d232b}code{font-size:12px}`

/** report.html: one self-contained page (inline CSS and SVG, no script, no external resource). */
export function reportHtml(input: HtmlReportInput): string {
  const parts = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>MLPerf Storage results (${escapeHtml(input.edition)})</title><style>${STYLE}</style></head><body>`,
    '<h1>MLPerf Storage results</h1>',
    `<p class="meta">rules edition ${escapeHtml(input.edition)} · generated ${escapeHtml(input.generatedAt)} · overall ${badge(input.category)} · ${input.rows.length} workload${input.rows.length === 1 ? '' : 's'}</p>`,
    summaryTable(input.rows, input.catalogue),
    crossSystemCharts(input.rows, input.catalogue),
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

/** One line per workload; the headline's value and its unit in two cells that never wrap, a long system name wrapping anywhere instead. */
function summaryTable(rows: readonly ReportRow[], catalogue: ResultsCatalogue): string {
  const head = ['division', 'organization', 'system', 'benchmark', 'model', 'accelerator', 'category', 'runs', 'hosts', 'accelerators', 'headline', '']
  const body = rows.map((row, index) => {
    const headline = reportOf(row, catalogue)?.headline
    const flagged = row.groupFindings.length > 0
      ? `<a class="flag" href="#w${index}" title="${escapeHtml(row.groupFindings.map(finding => finding.ruleId).join(', '))}">⚑ ${row.groupFindings.length} group finding${row.groupFindings.length === 1 ? '' : 's'}</a>` : ''
    return `<tr><td>${escapeHtml(row.division ?? '?')}</td><td>${escapeHtml(row.organization ?? '?')}</td><td class="system"><a href="#w${index}">${escapeHtml(row.system ?? row.path)}</a></td>` +
      `<td>${escapeHtml(row.benchmark ?? '?')}</td><td>${escapeHtml(row.model ?? '?')}</td><td>${escapeHtml(row.accelerator ?? '')}</td><td>${badge(row.category)}${flagged}</td>` +
      `<td class="num">${row.runs}</td><td class="num">${row.hosts ?? ''}</td><td class="num">${row.accelerators ?? ''}</td>` +
      (headline ? cell(row, headline.column) + `<td class="unit">${escapeHtml(headline.label)}</td>` : '<td></td><td></td>') + '</tr>'
  })
  return `<table class="summary"><thead><tr>${head.map(name => `<th>${name}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`
}

function rowSection(row: ReportRow, index: number, input: HtmlReportInput): string {
  const report = reportOf(row, input.catalogue)
  const findings = input.findings.get(row.path) ?? []
  return [
    `<h2 id="w${index}">${escapeHtml([row.organization, row.system, row.benchmark, row.model, row.accelerator].filter(Boolean).join(' · ') || row.path)} ${badge(row.category)}</h2>`,
    ...row.groupFindings.map(groupFinding),
    `<p class="meta">${escapeHtml(row.division ?? 'division unknown')} · <code>${escapeHtml(row.path)}</code> · ${row.runs} counted run${row.runs === 1 ? '' : 's'}</p>`,
    report ? metricTable(row, report) : '',
    `<div class="charts">${charts(row)}</div>`,
    timeSeriesSections(row, input),
    runTable(row, input),
    findingsByRule(findings, row.category === 'INVALID'),
  ].join('\n')
}

/** A finding about the group as a whole, above everything else of the group: it concerns every figure below. */
function groupFinding(finding: Finding): string {
  return `<div class="group-finding ${finding.severity}" role="note"><strong>${finding.severity === 'error' ? 'Group error' : 'Group warning'}: <code>${escapeHtml(finding.ruleId)}</code></strong>` +
    `${escapeHtml(finding.message)}${finding.fix ? `<br><em class="fix">fix: ${escapeHtml(finding.fix)}</em>` : ''}</div>`
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

/** Per run with a time series: CPU busy, disk read and write per device, network in and out, a line per host (and device). */
function timeSeriesSections(row: ReportRow, input: HtmlReportInput): string {
  const sections = row.runLeaves.flatMap((leaf, index) => {
    const series = input.timeSeries?.get(leaf)
    if (!series || series.hosts.length === 0) return []
    const many = series.hosts.length > 1
    const named = (host: string, name: string) => many ? `${host}:${name}` : name
    // hosts sample on their own clocks at the same interval: the longest host's times span the chart
    const longest = series.hosts.reduce((best, host) => host.times.length > best.times.length ? host : best)
    const pad = (values: readonly number[]) => longest.times.map((_, point) => values[point] ?? 0)
    const chart = (title: string, unit: string, lines: LineSeries[], top?: number) => lineChartSvg(lines.map(line => ({...line, values: pad(line.values)})), {title, unit, times: longest.times, top})
    const devices = (pick: (host: RunTimeSeries['hosts'][number]) => Array<{name: string; values: number[]}>) =>
      series.hosts.flatMap(host => pick(host).map(device => ({name: named(host.host, device.name), values: device.values})))
    const label = runLabel({path: leaf}, index).replace('\n', ' ')
    return [`<details open class="timeseries"><summary>hosts' time series · run ${escapeHtml(label)} · ${series.hosts.length} host${many ? 's' : ''}, every ${formatNumber(series.intervalSeconds)} s (<a href="${escapeHtml(input.href(series.file))}">${escapeHtml(series.file.split('/').pop()!)}</a>)</summary><div class="charts">`,
      chart('CPU busy', '%', series.hosts.map(host => ({name: host.host, values: host.cpuBusyPercent})), 100),
      chart('Disk read', 'MB/s', devices(host => host.diskReadMBps)),
      chart('Disk write', 'MB/s', devices(host => host.diskWriteMBps)),
      chart('Network receive', 'MB/s', devices(host => host.networkRxMBps)),
      chart('Network send', 'MB/s', devices(host => host.networkTxMBps)),
      '</div></details>'].join('')
  })
  return sections.join('\n')
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

const SEVERITY_ORDER = {error: 0, warn: 1, info: 2} as const

/**
 * The group's findings by rule, worst first: each rule once with how often it fired, its messages
 * under it, and a fix its findings share (a long allow-list of parameters) printed once for all.
 */
function findingsByRule(findings: readonly Finding[], open: boolean): string {
  if (findings.length === 0) return ''
  const byRule = new Map<string, Finding[]>()
  for (const finding of findings) byRule.set(finding.ruleId, [...byRule.get(finding.ruleId) ?? [], finding])
  const worst = (list: readonly Finding[]) => Math.min(...list.map(finding => SEVERITY_ORDER[finding.severity]))
  const rules = [...byRule.entries()].sort(([a, first], [b, second]) => worst(first) - worst(second) || a.localeCompare(b))
  const items = rules.map(([ruleId, list]) => {
    const severity = (Object.keys(SEVERITY_ORDER) as Array<keyof typeof SEVERITY_ORDER>)[worst(list)]
    const shared = sharedFixTail(list)
    const own = (fix: string) => shared ? fix.slice(0, fix.length - shared.length).replace(/[;:,]\s*$/, '') : fix
    const messages = list.map(finding => `<li class="${finding.severity}">${escapeHtml(finding.message)}${finding.fix && own(finding.fix) ? ` <em class="fix">fix: ${escapeHtml(own(finding.fix))}</em>` : ''}</li>`)
    return `<li class="${severity}"><code>${escapeHtml(ruleId)}</code> ${list.length > 1 ? `(${list.length}×)` : ''}${shared ? ` <em class="fix">fix${list.length > 1 ? ' for all' : ''}: ${escapeHtml(shared)}</em>` : ''}<ul>${messages.join('')}</ul></li>`
  })
  return `<details${open ? ' open' : ''}><summary>${findings.length} finding${findings.length === 1 ? '' : 's'} under ${rules.length} rule${rules.length === 1 ? '' : 's'}</summary><ul class="findings">${items.join('')}</ul></details>`
}

/** a tail shorter than this is not worth pulling out of its fixes */
const SHARED_TAIL_CHARACTERS = 60

/**
 * The clause every fix of a rule's findings ends with, when it is long: "drop --param train.epochs;
 * CLOSED allows <twelve parameters>" fired three times prints the allow-list once. It starts at a
 * clause boundary ("; ", ": ") or is a whole fix, so no word is cut.
 */
function sharedFixTail(findings: readonly Finding[]): string | undefined {
  const fixes = findings.map(finding => finding.fix)
  if (fixes.length < 2 || fixes.some(fix => fix === undefined)) return undefined
  const [first, ...rest] = fixes as string[]
  let length = 0
  while (length < first.length && rest.every(fix => fix.length > length && fix[fix.length - 1 - length] === first[first.length - 1 - length])) length++
  const tail = first.slice(first.length - length)
  if (rest.every(fix => fix === first) && first === tail) return first
  const boundary = tail.search(/(?<=[;:] )\S/)
  const clause = boundary < 0 ? undefined : tail.slice(boundary)
  return clause && clause.length >= SHARED_TAIL_CHARACTERS ? clause : undefined
}

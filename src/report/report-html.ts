import type {Category, Finding} from '../verify/finding.js'
import {KV_OPTIONS, METRIC_COLUMNS, type MetricColumn, type ReportRow, type RunFigures} from './report-row.js'
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
}

const LABELS: Record<MetricColumn, string> = {
  train_throughput_mean_samples_per_second: 'samples/s (mean)',
  train_throughput_stdev_samples_per_second: 'samples/s (stdev)',
  train_io_mean_MiB_per_second: 'MiB/s (mean)',
  train_io_stdev_MiB_per_second: 'MiB/s (stdev)',
  train_read_bw_GiB_per_second: 'read GiB/s',
  train_au_mean_percentage: 'AU % (mean)',
  checkpoint_write_GiB_per_second: 'write GiB/s',
  checkpoint_write_duration_seconds: 'write s',
  checkpoint_read_GiB_per_second: 'read GiB/s',
  checkpoint_read_duration_seconds: 'read s',
  kvcache_opt1_throughput_tokens_per_second: 'option 1 tokens/s',
  kvcache_opt1_read_GiB_per_second: 'option 1 read GiB/s',
  kvcache_opt1_write_GiB_per_second: 'option 1 write GiB/s',
  kvcache_opt1_read_p95_ms: 'option 1 read P95 ms',
  kvcache_opt2_throughput_tokens_per_second: 'option 2 tokens/s',
  kvcache_opt2_read_GiB_per_second: 'option 2 read GiB/s',
  kvcache_opt2_write_GiB_per_second: 'option 2 write GiB/s',
  kvcache_opt2_read_p95_ms: 'option 2 read P95 ms',
  kvcache_opt3_throughput_tokens_per_second: 'option 3 tokens/s',
  kvcache_opt3_read_GiB_per_second: 'option 3 read GiB/s',
  kvcache_opt3_write_GiB_per_second: 'option 3 write GiB/s',
  kvcache_opt3_read_p95_ms: 'option 3 read P95 ms',
  vdb_queries_per_second: 'queries/s',
  vdb_p50_latency_ms: 'P50 ms',
  vdb_p95_latency_ms: 'P95 ms',
  vdb_p99_latency_ms: 'P99 ms',
  vdb_recall: 'recall',
  vdb_load_seconds: 'load s',
  vdb_index_build_seconds: 'index build s',
}

/** The one figure the overview shows per benchmark, and what it is. */
const HEADLINE: Record<string, {column: MetricColumn; label: string}> = {
  training: {column: 'train_read_bw_GiB_per_second', label: 'training read GiB/s'},
  checkpointing: {column: 'checkpoint_write_GiB_per_second', label: 'checkpoint write GiB/s'},
  kv_cache: {column: 'kvcache_opt1_read_GiB_per_second', label: 'KV option 1 read GiB/s'},
  vector_database: {column: 'vdb_queries_per_second', label: 'queries/s'},
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
    summaryTable(input.rows),
    ...input.rows.map((row, index) => rowSection(row, index, input)),
    '</body></html>',
  ]
  return parts.join('\n')
}

function badge(category: Category): string {
  return `<span class="badge ${category}">${category}</span>`
}

function cell(row: ReportRow, column: MetricColumn): string {
  const value = row.metrics[column]
  if (value === undefined) return '<td></td>'
  if (value === null) return `<td class="num na-cell" title="${escapeHtml(row.missing[column] ?? '')}">n/a</td>`
  return `<td class="num">${escapeHtml(formatNumber(value))}</td>`
}

function summaryTable(rows: readonly ReportRow[]): string {
  const head = ['division', 'organization', 'system', 'benchmark', 'model', 'accelerator', 'category', 'runs', 'hosts', 'accelerators', 'headline', '']
  const body = rows.map((row, index) => {
    const headline = HEADLINE[row.benchmark ?? '']
    return `<tr><td>${escapeHtml(row.division ?? '?')}</td><td>${escapeHtml(row.organization ?? '?')}</td><td><a href="#w${index}">${escapeHtml(row.system ?? row.path)}</a></td>` +
      `<td>${escapeHtml(row.benchmark ?? '?')}</td><td>${escapeHtml(row.model ?? '?')}</td><td>${escapeHtml(row.accelerator ?? '')}</td><td>${badge(row.category)}</td>` +
      `<td class="num">${row.runs}</td><td class="num">${row.hosts ?? ''}</td><td class="num">${row.accelerators ?? ''}</td>` +
      (headline ? cell(row, headline.column) + `<td>${escapeHtml(headline.label)}</td>` : '<td></td><td></td>') + '</tr>'
  })
  return `<table><thead><tr>${head.map(name => `<th>${name}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`
}

function rowSection(row: ReportRow, index: number, input: HtmlReportInput): string {
  const columns: readonly MetricColumn[] = METRIC_COLUMNS[row.benchmark as keyof typeof METRIC_COLUMNS] ?? []
  const metrics = row.benchmark === 'kv_cache' ? kvOptionTable(row) : columns.length > 0
    ? `<table><thead><tr>${columns.map(column => `<th>${escapeHtml(LABELS[column])}</th>`).join('')}</tr></thead><tbody><tr>${columns.map(column => cell(row, column)).join('')}</tr></tbody></table>`
    : ''
  const findings = input.findings.get(row.path) ?? []
  return [
    `<h2 id="w${index}">${escapeHtml([row.organization, row.system, row.benchmark, row.model, row.accelerator].filter(Boolean).join(' · ') || row.path)} ${badge(row.category)}</h2>`,
    `<p class="meta">${escapeHtml(row.division ?? 'division unknown')} · <code>${escapeHtml(row.path)}</code> · ${row.runs} counted run${row.runs === 1 ? '' : 's'}</p>`,
    metrics,
    `<div class="charts">${charts(row)}</div>`,
    runTable(row, input),
    findings.length > 0 ? `<details${row.category === 'INVALID' ? ' open' : ''}><summary>${findings.length} finding${findings.length === 1 ? '' : 's'}</summary><ul class="findings">${findings.map(findingItem).join('')}</ul></details>` : '',
  ].join('\n')
}

/** KV cache: one line per option (rules.md §1.3, the v3.0 table reports each option). */
function kvOptionTable(row: ReportRow): string {
  const names = ['throughput_tokens_per_second', 'read_GiB_per_second', 'write_GiB_per_second', 'read_p95_ms'] as const
  const head = ['option', 'tokens/s', 'read GiB/s', 'write GiB/s', 'storage read P95 ms']
  const body = KV_OPTIONS.map(option => `<tr><td>${option}</td>${names.map(name => cell(row, `kvcache_opt${option}_${name}` as MetricColumn)).join('')}</tr>`)
  return `<table><thead><tr>${head.map(name => `<th>${name}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`
}

function charts(row: ReportRow): string {
  const label = (index: number) => `run ${index + 1}`
  const out: string[] = []
  if (row.benchmark === 'training') {
    const samplesMean = row.metrics.train_throughput_mean_samples_per_second
    out.push(barChartSvg(row.runFigures.map((run, index) => ({label: label(index), value: run.samplesPerSecond, faded: !run.counted})), {
      title: 'Throughput per run', unit: 'samples/s', lines: typeof samplesMean === 'number' ? [{value: samplesMean, label: 'mean', kind: 'mean'}] : [],
    }))
    out.push(barChartSvg(row.runFigures.map((run, index) => ({label: label(index), value: run.auPercentage, faded: !run.counted})), {
      title: 'Accelerator utilization per run', unit: '%', lines: row.auThresholdPercentage === undefined ? [] : [{value: row.auThresholdPercentage, label: 'threshold', kind: 'threshold'}],
    }))
  } else if (row.benchmark === 'checkpointing') {
    out.push(barChartSvg(row.runFigures.flatMap((run, index) => [
      {label: `${label(index)} write`, value: run.checkpointWriteGiBPerSecond},
      {label: `${label(index)} read`, value: run.checkpointReadGiBPerSecond},
    ]), {title: 'Checkpoint bandwidth', unit: 'GiB/s'}))
  } else if (row.benchmark === 'kv_cache') {
    const counted = row.runFigures.filter(run => run.counted).at(-1)
    if (counted) {
      out.push(barChartSvg(KV_OPTIONS.flatMap(option => [
        {label: `opt ${option} read`, value: counted.kvcache?.[option]?.readGiBPerSecond},
        {label: `opt ${option} write`, value: counted.kvcache?.[option]?.writeGiBPerSecond},
      ]), {title: 'Storage bandwidth per option', unit: 'GiB/s'}))
      out.push(barChartSvg(KV_OPTIONS.map(option => ({label: `option ${option}`, value: counted.kvcache?.[option]?.tokensPerSecond})), {title: 'Throughput per option', unit: 'tokens/s'}))
    }
  } else if (row.benchmark === 'vector_database') {
    const qpsMean = row.metrics.vdb_queries_per_second
    out.push(barChartSvg(row.runFigures.map((run, index) => ({label: label(index), value: run.queriesPerSecond, faded: !run.counted})), {
      title: 'Queries per second per run', unit: 'queries/s', lines: typeof qpsMean === 'number' ? [{value: qpsMean, label: 'mean', kind: 'mean'}] : [],
    }))
    out.push(barChartSvg(row.runFigures.map((run, index) => ({label: label(index), value: run.p99LatencyMs, faded: !run.counted})), {title: 'P99 query latency per run', unit: 'ms'}))
  }
  return out.join('\n')
}

/** The per-run columns of the run-leaf table, by benchmark. */
const RUN_COLUMNS: Record<string, Array<{label: string; value(run: RunFigures): number | undefined}>> = {
  training: [{label: 'samples/s', value: run => run.samplesPerSecond}, {label: 'MiB/s', value: run => run.mibPerSecond}, {label: 'AU %', value: run => run.auPercentage}],
  checkpointing: [{label: 'write GiB/s', value: run => run.checkpointWriteGiBPerSecond}, {label: 'read GiB/s', value: run => run.checkpointReadGiBPerSecond}],
  kv_cache: KV_OPTIONS.map(option => ({label: `option ${option} read GiB/s`, value: (run: RunFigures) => run.kvcache?.[option]?.readGiBPerSecond})),
  vector_database: [{label: 'queries/s', value: run => run.queriesPerSecond}, {label: 'P99 ms', value: run => run.p99LatencyMs}, {label: 'recall', value: run => run.recall}],
}

function runTable(row: ReportRow, input: HtmlReportInput): string {
  if (row.runLeaves.length === 0) return ''
  const figures = new Map(row.runFigures.map(run => [run.path, run]))
  const columns = RUN_COLUMNS[row.benchmark ?? ''] ?? []
  const body = row.runLeaves.map(leaf => {
    const run = figures.get(leaf)
    const value = (number: number | undefined) => number === undefined ? '<td class="num na-cell">n/a</td>' : `<td class="num">${escapeHtml(formatNumber(number))}</td>`
    return `<tr><td><a href="${escapeHtml(input.href(leaf))}">${escapeHtml(leaf)}</a></td><td>${run ? (run.counted ? 'counted' : 'not counted') : 'setup'}</td>` +
      columns.map(column => run ? value(column.value(run)) : '<td></td>').join('') + '</tr>'
  })
  return `<details><summary>run leaves</summary><table><thead><tr><th>leaf</th><th></th>${columns.map(column => `<th>${escapeHtml(column.label)}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table></details>`
}

function findingItem(finding: Finding): string {
  return `<li class="${finding.severity}"><code>${escapeHtml(finding.ruleId)}</code> ${escapeHtml(finding.message)}${finding.fix ? ` <em>fix: ${escapeHtml(finding.fix)}</em>` : ''}</li>`
}

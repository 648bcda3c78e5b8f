import {type BenchmarkReport, type ReportCell, type ReportChart} from 'mlps'
import {cellOf, finiteMetric, mean, valuesOver} from 'mlps/unstable'

const OPTIONS = [1, 2, 3] as const
/**
 * Per option, as the v3.0 table reports KV cache (rules.md §1.3: tok/s, read and write GiB/s, and its "P95 Read
 * Latency" = the storage tier's read P95), and beside it the P95 over every request's storage I/O
 * (aggregated_p95_latency_ms), the only P95 some published summaries hold: each labelled as the latency it is.
 */
const OPTION_COLUMNS = [
  ['throughput_tokens_per_second', 'tokens/s'], ['read_GiB_per_second', 'read GiB/s'],
  ['write_GiB_per_second', 'write GiB/s'], ['read_p95_ms', 'storage read P95 ms'], ['storage_io_p95_ms', 'all storage I/O P95 ms'],
] as const
const column = (option: number, name: string) => `kvcache_opt${option}_${name}`

/** The KV-cache row: each option's figures from the run the edition counts (v3.0: the latest error-free one). */
export const kvcacheReport: BenchmarkReport = {
  columns: OPTIONS.flatMap(option => OPTION_COLUMNS.map(([name, label]) => ({id: column(option, name), label: `option ${option} ${label}`}))),
  headline: {column: column(1, 'read_GiB_per_second'), label: 'KV option 1 read GiB/s'},
  grid: {
    corner: 'option', head: OPTION_COLUMNS.map(([, label]) => label),
    lines: OPTIONS.map(option => ({label: String(option), columns: OPTION_COLUMNS.map(([name]) => column(option, name))})),
  },
  aggregate(group, counted) {
    // several counted runs are averaged
    const none = group.runs.length === 0 ? 'no runs' : 'no error-free run: every run is incomplete or a partial failure (rule 6.3.3)'
    const cells: Record<string, ReportCell> = {}
    for (const option of OPTIONS) {
      for (const [name] of OPTION_COLUMNS) {
        const id = column(option, name)
        const over = valuesOver(counted, id)
        cells[id] = counted.length === 0 ? {reason: none} : over.values ? cellOf(mean(over.values), none) : {reason: over.reason}
      }
    }
    return cells
  },
  runFigures: run => Object.fromEntries(OPTIONS.map(option => [`option ${option} read GiB/s`, finiteMetric(run.metrics[column(option, 'read_GiB_per_second')])])),
  charts(runs) {
    const counted = runs.filter(run => run.counted).at(-1)?.run
    if (!counted) return []
    const figure = (option: number, name: string) => finiteMetric(counted.metrics[column(option, name)])
    const charts: ReportChart[] = [
      {title: 'Storage bandwidth per option', unit: 'GiB/s', bars: OPTIONS.flatMap(option => [
        {label: `opt ${option} read`, value: figure(option, 'read_GiB_per_second')},
        {label: `opt ${option} write`, value: figure(option, 'write_GiB_per_second')},
      ])},
      {title: 'Throughput per option', unit: 'tokens/s', bars: OPTIONS.map(option => ({label: `option ${option}`, value: figure(option, 'throughput_tokens_per_second')}))},
    ]
    return charts
  },
}

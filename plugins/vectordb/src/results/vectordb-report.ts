import {type BenchmarkReport, type ReportCell} from 'mlps'
import {cellOf, finiteMetric, meanCell, runLabel} from 'mlps/unstable'

/** run columns and the run metric each is the mean of (rules.md §1.4 "v3.0 table columns") */
const RUN_COLUMNS = [
  ['vdb_queries_per_second', 'throughput_qps', 'queries/s'], ['vdb_p50_latency_ms', 'p50_latency_ms', 'P50 ms'],
  ['vdb_p95_latency_ms', 'p95_latency_ms', 'P95 ms'], ['vdb_p99_latency_ms', 'p99_latency_ms', 'P99 ms'], ['vdb_recall', 'recall_at_k', 'recall'],
] as const
/** …and the datagen leaf's */
const LOAD_COLUMNS = [['vdb_load_seconds', 'load_seconds', 'load s'], ['vdb_index_build_seconds', 'index_build_seconds', 'index build s']] as const

export const vectordbReport: BenchmarkReport = {
  columns: [...RUN_COLUMNS, ...LOAD_COLUMNS].map(([id, , label]) => ({id, label})),
  headline: {column: 'vdb_queries_per_second', label: 'queries/s'},
  aggregate(group, counted) {
    const cells: Record<string, ReportCell> = {}
    for (const [id, metric] of RUN_COLUMNS) cells[id] = meanCell(counted, metric)
    const datagen = group.datagen.at(-1)
    for (const [id, metric] of LOAD_COLUMNS) {
      cells[id] = cellOf(datagen && finiteMetric(datagen.metrics[metric]),
        datagen ? `${metric} missing in ${datagen.path} (vdbbench writes no JSON for the load; mlps records it)` : 'no datagen leaf')
    }
    return cells
  },
  runFigures: run => ({'queries/s': finiteMetric(run.metrics.throughput_qps), 'P99 ms': finiteMetric(run.metrics.p99_latency_ms), recall: finiteMetric(run.metrics.recall_at_k)}),
  charts(runs, metrics) {
    const qpsMean = metrics.vdb_queries_per_second
    return [
      {title: 'Queries per second per run', unit: 'queries/s', bars: runs.map(({run, counted}, index) => ({label: runLabel(run, index), value: finiteMetric(run.metrics.throughput_qps), faded: !counted})),
        lines: typeof qpsMean === 'number' ? [{value: qpsMean, label: 'mean', kind: 'mean'}] : []},
      {title: 'P99 query latency per run', unit: 'ms', bars: runs.map(({run, counted}, index) => ({label: runLabel(run, index), value: finiteMetric(run.metrics.p99_latency_ms), faded: !counted}))},
    ]
  },
}

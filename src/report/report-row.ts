import type {MetricValue, RulesEdition} from '../registry/definitions.js'
import type {GroupVerdict} from '../verify/evaluate.js'
import type {Category, Finding} from '../verify/finding.js'
import type {LoadedRun, RunGroup} from '../verify/loaded-run.js'
import {mean, populationStdev} from './stats.js'

/** Metric columns, each belonging to one benchmark; other benchmarks' rows leave them blank. */
export const METRIC_COLUMNS = {
  training: [
    'train_throughput_mean_samples_per_second', 'train_throughput_stdev_samples_per_second',
    'train_io_mean_MiB_per_second', 'train_io_stdev_MiB_per_second', 'train_read_bw_GiB_per_second', 'train_au_mean_percentage',
  ],
  checkpointing: [
    'checkpoint_write_GiB_per_second', 'checkpoint_write_duration_seconds', 'checkpoint_read_GiB_per_second', 'checkpoint_read_duration_seconds',
  ],
  // per option, as the v3.0 table reports KV cache (rules.md §1.3: tok/s, read and write GiB/s, storage-read P95)
  kv_cache: [
    'kvcache_opt1_throughput_tokens_per_second', 'kvcache_opt1_read_GiB_per_second', 'kvcache_opt1_write_GiB_per_second', 'kvcache_opt1_read_p95_ms',
    'kvcache_opt2_throughput_tokens_per_second', 'kvcache_opt2_read_GiB_per_second', 'kvcache_opt2_write_GiB_per_second', 'kvcache_opt2_read_p95_ms',
    'kvcache_opt3_throughput_tokens_per_second', 'kvcache_opt3_read_GiB_per_second', 'kvcache_opt3_write_GiB_per_second', 'kvcache_opt3_read_p95_ms',
  ],
  vector_database: [
    'vdb_queries_per_second', 'vdb_p50_latency_ms', 'vdb_p95_latency_ms', 'vdb_p99_latency_ms', 'vdb_recall', 'vdb_load_seconds', 'vdb_index_build_seconds',
  ],
} as const satisfies Record<string, readonly string[]>

/** KV-cache options the row reports, and the run metric behind each per-option column (`kvcache_opt<O>_<metric>`). */
export const KV_OPTIONS = [1, 2, 3] as const
const KV_OPTION_COLUMNS = ['throughput_tokens_per_second', 'read_GiB_per_second', 'write_GiB_per_second', 'read_p95_ms'] as const

/** Vector-database run columns and the run metric each is the mean of (rules.md §1.4 "v3.0 table columns"). */
const VDB_RUN_COLUMNS = [
  ['vdb_queries_per_second', 'throughput_qps'], ['vdb_p50_latency_ms', 'p50_latency_ms'], ['vdb_p95_latency_ms', 'p95_latency_ms'],
  ['vdb_p99_latency_ms', 'p99_latency_ms'], ['vdb_recall', 'recall_at_k'],
] as const
/** …and the datagen leaf's columns */
const VDB_LOAD_COLUMNS = [['vdb_load_seconds', 'load_seconds'], ['vdb_index_build_seconds', 'index_build_seconds']] as const

export type MetricColumn = (typeof METRIC_COLUMNS)[keyof typeof METRIC_COLUMNS][number]
export const ALL_METRIC_COLUMNS: readonly MetricColumn[] = Object.values(METRIC_COLUMNS).flat()

/** One run's figures, for the per-run tables and charts. */
export interface RunFigures {
  path: string
  counted: boolean
  samplesPerSecond?: number
  mibPerSecond?: number
  auPercentage?: number
  checkpointWriteGiBPerSecond?: number
  checkpointReadGiBPerSecond?: number
  /** KV cache, by option */
  kvcache?: Partial<Record<(typeof KV_OPTIONS)[number], {tokensPerSecond?: number; readGiBPerSecond?: number; writeGiBPerSecond?: number}>>
  queriesPerSecond?: number
  p99LatencyMs?: number
  recall?: number
}

/** One row per (division, organization, system, benchmark, model, accelerator) workload. */
export interface ReportRow {
  path: string
  division?: string
  organization?: string
  system?: string
  benchmark?: string
  model?: string
  accelerator?: string
  category: Category
  /** runs whose metrics count (without a warm-up) */
  runs: number
  hosts?: number
  accelerators?: number
  /** the AU threshold in percent, from the workload (metric.au) */
  auThresholdPercentage?: number
  /** applicable metrics; null where an input was missing, with the reason in `missing` */
  metrics: Partial<Record<MetricColumn, number | null>>
  missing: Partial<Record<MetricColumn, string>>
  runFigures: RunFigures[]
  /** every run leaf of the workload, relative to the results folder */
  runLeaves: string[]
}

const num = (value: MetricValue | undefined): number | undefined => typeof value === 'number' && Number.isFinite(value) ? value : undefined

/**
 * Aggregate one group into a row: means and population standard deviations
 * over the counted runs; a metric any counted run lacks is null with the
 * reason, never an average of a partial list.
 */
export function buildRow(group: RunGroup, verdict: GroupVerdict | undefined, edition: RulesEdition): {row: ReportRow; findings: Finding[]} {
  const counted = new Set(edition.countedRuns ? edition.countedRuns(group) : group.runs)
  const countedRuns = group.runs.filter(run => counted.has(run))
  const row: ReportRow = {
    path: group.path, division: group.division, organization: group.organization, system: group.system,
    benchmark: group.benchmark, model: group.model, accelerator: group.accelerator,
    category: verdict?.category ?? 'UNVERIFIED', runs: countedRuns.length,
    hosts: countedRuns[0]?.numHosts, accelerators: countedRuns[0]?.numProcesses,
    auThresholdPercentage: auThreshold(countedRuns[0]),
    metrics: {}, missing: {},
    runFigures: group.runs.map(run => figuresOf(run, counted.has(run))),
    runLeaves: [...group.datasize, ...group.datagen, ...group.runs].map(run => run.path),
  }
  const columns: readonly MetricColumn[] = METRIC_COLUMNS[group.benchmark as keyof typeof METRIC_COLUMNS] ?? []
  const set = (column: MetricColumn, value: number | undefined, reason: string) => {
    row.metrics[column] = value ?? null
    if (value === undefined) row.missing[column] = reason
  }
  const over = (read: (run: LoadedRun) => number | undefined, label: string): {values?: number[]; reason: string} => {
    if (countedRuns.length === 0) return {reason: 'no counted runs'}
    const values = countedRuns.map(read)
    const lacking = countedRuns.filter((_, index) => values[index] === undefined).map(run => run.path)
    return lacking.length > 0 ? {reason: `${label} missing in ${lacking.join(', ')}`} : {values: values as number[], reason: ''}
  }

  if (group.benchmark === 'training') {
    const samples = over(run => num(run.metrics.train_throughput_mean_samples_per_second), 'train_throughput_mean_samples_per_second')
    const mib = over(run => num(run.metrics.train_io_mean_MB_per_second), 'train_io_mean_MB_per_second')
    const au = over(run => num(run.metrics.train_au_mean_percentage), 'train_au_mean_percentage')
    set('train_throughput_mean_samples_per_second', samples.values && mean(samples.values), samples.reason)
    set('train_throughput_stdev_samples_per_second', samples.values && populationStdev(samples.values), samples.reason)
    set('train_io_mean_MiB_per_second', mib.values && mean(mib.values), mib.reason)
    set('train_io_stdev_MiB_per_second', mib.values && populationStdev(mib.values), mib.reason)
    // the v3.0 table's "Read B/W (GiB/s)" = fmean(MiB/s) / 1024 (rules.md §1.1 "Reported metric")
    const mibMean = mib.values && mean(mib.values)
    set('train_read_bw_GiB_per_second', mibMean === undefined ? undefined : mibMean / 1024, mib.reason)
    set('train_au_mean_percentage', au.values && mean(au.values), au.reason)
  } else if (group.benchmark === 'checkpointing') {
    // per direction, the mean of DLIO's scalar over the invocations that did that direction (rules.md §1.2 "Reported metric")
    for (const [direction, prefix] of [['write', 'save'], ['read', 'load']] as const) {
      const doing = countedRuns.filter(run => num(run.metrics[`${prefix}_checkpoint_io_mean_GB_per_second`]) !== undefined)
      const reason = countedRuns.length === 0 ? 'no counted runs' : `no invocation reports ${prefix}_checkpoint_io_mean_GB_per_second`
      set(`checkpoint_${direction}_GiB_per_second`, mean(doing.map(run => num(run.metrics[`${prefix}_checkpoint_io_mean_GB_per_second`]) as number)), reason)
      const durations = doing.map(run => num(run.metrics[`${prefix}_checkpoint_duration_mean_seconds`]))
      set(`checkpoint_${direction}_duration_seconds`, durations.every(value => value !== undefined) ? mean(durations as number[]) : undefined,
        durations.length === 0 ? reason : `${prefix}_checkpoint_duration_mean_seconds missing in an invocation`)
    }
  } else if (group.benchmark === 'kv_cache') {
    // the edition picks the run (v3.0: the latest error-free one, rules.md §4 item 15); several counted runs are averaged
    const none = group.runs.length === 0 ? 'no runs' : 'no error-free run: every run is incomplete or a partial failure (rule 6.3.3)'
    for (const option of KV_OPTIONS) {
      for (const name of KV_OPTION_COLUMNS) {
        const column = `kvcache_opt${option}_${name}` as MetricColumn
        const values = countedRuns.length === 0 ? {reason: none} : over(run => num(run.metrics[column]), column)
        set(column, values.values && mean(values.values), values.reason)
      }
    }
  } else if (group.benchmark === 'vector_database') {
    for (const [column, metric] of VDB_RUN_COLUMNS) {
      const values = over(run => num(run.metrics[metric]), metric)
      set(column, values.values && mean(values.values), values.reason)
    }
    const datagen = group.datagen.at(-1)
    for (const [column, metric] of VDB_LOAD_COLUMNS) {
      const value = datagen && num(datagen.metrics[metric])
      set(column, value, datagen ? `${metric} missing in ${datagen.path} (vdbbench writes no JSON for the load; mlps records it)` : 'no datagen leaf')
    }
  } else {
    for (const column of columns) set(column, undefined, `no aggregation is defined for ${group.benchmark ?? 'an unknown benchmark'}`)
  }

  const findings: Finding[] = Object.entries(row.missing).map(([column, reason]) => ({
    ruleId: 'report.metricMissing', severity: 'warn' as const, kind: 'input' as const,
    message: `${group.path}: ${column} is n/a (${reason})`, evidence: [{file: group.path, path: column}],
  }))
  return {row, findings}
}

function auThreshold(run: LoadedRun | undefined): number | undefined {
  const au = (run?.parameters.metric as {au?: unknown} | undefined)?.au
  return typeof au === 'number' ? au * 100 : undefined
}

function figuresOf(run: LoadedRun, counted: boolean): RunFigures {
  return {
    path: run.path, counted,
    samplesPerSecond: num(run.metrics.train_throughput_mean_samples_per_second),
    mibPerSecond: num(run.metrics.train_io_mean_MB_per_second),
    auPercentage: num(run.metrics.train_au_mean_percentage),
    checkpointWriteGiBPerSecond: num(run.metrics.save_checkpoint_io_mean_GB_per_second),
    checkpointReadGiBPerSecond: num(run.metrics.load_checkpoint_io_mean_GB_per_second),
    ...run.benchmark === 'kv_cache' ? {kvcache: Object.fromEntries(KV_OPTIONS.map(option => [option, {
      tokensPerSecond: num(run.metrics[`kvcache_opt${option}_throughput_tokens_per_second`]),
      readGiBPerSecond: num(run.metrics[`kvcache_opt${option}_read_GiB_per_second`]),
      writeGiBPerSecond: num(run.metrics[`kvcache_opt${option}_write_GiB_per_second`]),
    }]))} : {},
    queriesPerSecond: num(run.metrics.throughput_qps),
    p99LatencyMs: num(run.metrics.p99_latency_ms),
    recall: num(run.metrics.recall_at_k),
  }
}

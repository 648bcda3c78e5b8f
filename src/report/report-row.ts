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
  kv_cache: ['kvcache_throughput_tokens_per_second', 'kvcache_read_GiB_per_second', 'kvcache_write_GiB_per_second', 'kvcache_read_p95_ms'],
  vector_database: ['vdb_queries_per_second', 'vdb_p99_latency_ms', 'vdb_recall'],
} as const satisfies Record<string, readonly string[]>

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
  } else {
    for (const column of columns) set(column, undefined, `mlps does not aggregate ${group.benchmark} metrics yet`)
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
  }
}

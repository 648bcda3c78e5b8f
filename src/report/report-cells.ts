import type {ReportCell} from '../registry/benchmark-results.js'
import type {MetricValue} from '../results/metric-value.js'
import type {LoadedRun} from '../verify/loaded-run.js'
import {mean, populationStdev} from './stats.js'

/** A metric as a finite number, or undefined. */
export function finiteMetric(value: MetricValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/**
 * Every counted run's value of a metric, or why a column over them is n/a:
 * no counted runs, or the runs that lack it. Never a partial list.
 */
export function valuesOver(runs: readonly LoadedRun[], metric: string, read: (run: LoadedRun) => number | undefined = run => finiteMetric(run.metrics[metric])):
  {values: number[]; reason?: undefined} | {values?: undefined; reason: string} {
  if (runs.length === 0) return {reason: 'no counted runs'}
  const values = runs.map(read)
  const lacking = runs.filter((_, index) => values[index] === undefined).map(run => run.path)
  return lacking.length > 0 ? {reason: `${metric} missing in ${lacking.join(', ')}`} : {values: values as number[]}
}

/** A cell from a value that may be missing, with the reason it is. */
export function cellOf(value: number | undefined, reason: string): ReportCell {
  return value === undefined ? {reason} : {value}
}

/** The mean of a metric over the counted runs. */
export function meanCell(runs: readonly LoadedRun[], metric: string): ReportCell {
  const over = valuesOver(runs, metric)
  return over.values ? cellOf(mean(over.values), 'no counted runs') : {reason: over.reason}
}

/** The population standard deviation of a metric over the counted runs (the official reports' pstdev). */
export function stdevCell(runs: readonly LoadedRun[], metric: string): ReportCell {
  const over = valuesOver(runs, metric)
  return over.values ? cellOf(populationStdev(over.values), 'no counted runs') : {reason: over.reason}
}

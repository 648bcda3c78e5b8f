import type {BatchRow} from './query-protocol.js'

/** numpy.percentile's default (linear interpolation between closest ranks) on sorted values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low)
}

function describe(sorted: Float64Array, prefix: string, suffix: string, scale: number): Record<string, number> {
  const at = (p: number) => percentile(sorted, p) * scale
  let sum = 0
  for (const value of sorted) sum += value
  return {
    [`min_${prefix}${suffix}`]: sorted[0] * scale,
    [`max_${prefix}${suffix}`]: sorted[sorted.length - 1] * scale,
    [`mean_${prefix}${suffix}`]: (sum / sorted.length) * scale,
    [`median_${prefix}${suffix}`]: at(50),
    [`p95_${prefix}${suffix}`]: at(95),
    [`p99_${prefix}${suffix}`]: at(99),
    [`p999_${prefix}${suffix}`]: at(99.9),
    [`p9999_${prefix}${suffix}`]: at(99.99),
  }
}

/**
 * The timed-loop figures exactly as vdbbench's `calculate_statistics` defines
 * them (engines.md §4.4): a query's latency is its batch's time divided by
 * the batch size; total time runs from the first batch sent to the last one
 * answered; throughput_qps = total_queries / total_time_seconds.
 */
export function queryStatistics(rows: readonly BatchRow[]): Record<string, number> {
  if (rows.length === 0) throw new Error('no query batch completed')
  const totalQueries = rows.reduce((sum, row) => sum + row.batchSize, 0)
  const latencies = new Float64Array(totalQueries)
  const batchTimes = new Float64Array(rows.length)
  let at = 0
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  rows.forEach((row, i) => {
    latencies.fill(row.batchTimeSeconds / row.batchSize, at, at + row.batchSize)
    at += row.batchSize
    batchTimes[i] = row.batchTimeSeconds
    first = Math.min(first, row.timestamp)
    last = Math.max(last, row.timestamp + row.batchTimeSeconds)
  })
  latencies.sort()
  batchTimes.sort()
  const totalTime = last - first
  return {
    total_queries: totalQueries,
    total_time_seconds: totalTime,
    ...describe(latencies, 'latency', '_ms', 1000),
    throughput_qps: totalQueries / totalTime,
    batch_count: rows.length,
    successful_batches: rows.length,
    failed_batches: 0,
    ...describe(batchTimes, 'batch_time', '_ms', 1000),
  }
}

export interface RecallStatistics {
  recall_at_k: number
  k: number
  num_queries_evaluated: number
  min_recall: number
  max_recall: number
  mean_recall: number
  median_recall: number
  p5_recall: number
  p95_recall: number
  p99_recall: number
  per_query_recall: number[]
}

/** recall@k per query = |returned ∩ exact top k| / k, and its distribution, as vdbbench reports it. */
export function recallStatistics(returned: ReadonlyArray<readonly number[]>, exact: ReadonlyArray<readonly number[]>, k: number): RecallStatistics {
  if (returned.length !== exact.length) throw new Error(`${returned.length} result lists for ${exact.length} ground-truth lists`)
  const perQuery = returned.map((ids, q) => {
    const truth = new Set(exact[q].slice(0, k))
    return ids.slice(0, k).filter(id => truth.has(id)).length / k
  })
  const sorted = Float64Array.from(perQuery).sort()
  const mean = perQuery.reduce((sum, value) => sum + value, 0) / perQuery.length
  return {
    recall_at_k: mean, k, num_queries_evaluated: perQuery.length,
    min_recall: sorted[0], max_recall: sorted[sorted.length - 1], mean_recall: mean, median_recall: percentile(sorted, 50),
    p5_recall: percentile(sorted, 5), p95_recall: percentile(sorted, 95), p99_recall: percentile(sorted, 99),
    per_query_recall: perQuery,
  }
}

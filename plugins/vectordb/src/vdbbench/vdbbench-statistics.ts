import {type MetricValue, MlpsError, z} from 'mlps'

const RecallSchema = z.object({
  recall_at_k: z.number(),
  k: z.number().int().optional(),
  num_queries_evaluated: z.number().int().optional(),
  mean_recall: z.number().optional(),
  min_recall: z.number().optional(),
  p5_recall: z.number().optional(),
}).passthrough()

/** vdbbench's statistics.json (simple_bench.py calculate_statistics; engines.md §4.4). */
export const VdbbenchStatisticsSchema = z.object({
  total_queries: z.number().int().nonnegative(),
  total_time_seconds: z.number().nonnegative(),
  throughput_qps: z.number().nonnegative(),
  mean_latency_ms: z.number(),
  median_latency_ms: z.number().optional(),
  min_latency_ms: z.number().optional(),
  max_latency_ms: z.number().optional(),
  p95_latency_ms: z.number(),
  p99_latency_ms: z.number(),
  p999_latency_ms: z.number(),
  p9999_latency_ms: z.number().optional(),
  batch_count: z.number().int().optional(),
  successful_batches: z.number().int().optional(),
  failed_batches: z.number().int().optional(),
  recall: RecallSchema.optional(),
}).passthrough()

export type VdbbenchStatistics = z.output<typeof VdbbenchStatisticsSchema>

export function parseVdbbenchStatistics(text: string, where: string): VdbbenchStatistics {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new MlpsError(`${where} is not JSON: ${(error as Error).message}`, {fix: 'the query run did not finish writing it; run it again'})
  }
  const parsed = VdbbenchStatisticsSchema.safeParse(data)
  if (!parsed.success) {
    throw new MlpsError(`${where} is not vdbbench statistics: ${parsed.error.issues.map(i => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, {
      fix: 'check that the installed vdbbench is the v3.0 one (statistics.json with throughput_qps and p*_latency_ms)',
    })
  }
  return parsed.data
}

/** The run-record metrics of a statistics.json; recall is absent (undefined), never 0, when the file has none. */
export function statisticsMetrics(stats: VdbbenchStatistics): Record<string, MetricValue> {
  const metrics: Record<string, MetricValue> = {
    throughput_qps: stats.throughput_qps, total_queries: stats.total_queries, total_time_seconds: stats.total_time_seconds,
    mean_latency_ms: stats.mean_latency_ms, p95_latency_ms: stats.p95_latency_ms, p99_latency_ms: stats.p99_latency_ms, p999_latency_ms: stats.p999_latency_ms,
  }
  if (stats.median_latency_ms !== undefined) metrics.p50_latency_ms = stats.median_latency_ms
  if (stats.max_latency_ms !== undefined) metrics.max_latency_ms = stats.max_latency_ms
  if (stats.failed_batches !== undefined) metrics.failed_batches = stats.failed_batches
  if (stats.recall) {
    metrics.recall_at_k = stats.recall.recall_at_k
    if (stats.recall.k !== undefined) metrics.recall_k = stats.recall.k
    if (stats.recall.num_queries_evaluated !== undefined) metrics.recall_queries = stats.recall.num_queries_evaluated
  }
  return metrics
}

/** mlpstorage v3's summary.json: statistics.json with `recall` reduced to `mean_recall` (vdb_summary.py; engines.md §4.4). */
export function summaryOf(stats: VdbbenchStatistics): Record<string, unknown> {
  const {recall, ...rest} = stats
  return {...rest, ...(recall ? {mean_recall: recall.mean_recall ?? recall.recall_at_k, recall_k: recall.k} : {})}
}

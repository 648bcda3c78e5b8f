import {z} from 'zod'
import type {MetricValue} from '../registry/definitions.js'

// The run summaries of the two benchmarks that are not DLIO, as the v3.0 tree holds them
// (rules.md §2.1 diagram R 2.1.27): `kv_cache/<model>/run/<ts>/summary.json` is mlpstorage's
// aggregated KV-cache run summary (engines.md §3.5), `vector_database/<backend>/<INDEX>/{datagen,run}/<ts>/summary.json`
// is vdbbench's statistics with the recall reduced to `mean_recall` (engines.md §4.4).

/** Which shape a run folder's summary.json has, by the benchmark folder it sits in. */
export type SummaryShape = 'dlio' | 'kvcache' | 'vectordb'

export function summaryShapeOf(benchmark: string | undefined): SummaryShape {
  return benchmark === 'kv_cache' ? 'kvcache' : benchmark === 'vector_database' ? 'vectordb' : 'dlio'
}

const figure = z.number().nullable().optional()

/** One option of the KV-cache run summary; only the keys mlps reads are typed. */
export const KvOptionSummarySchema = z.looseObject({
  option: z.number().optional(),
  aggregated_read_bandwidth_gbps: figure,
  aggregated_write_bandwidth_gbps: figure,
  aggregated_avg_throughput_tokens_per_sec: figure,
  aggregated_storage_throughput_tokens_per_sec: figure,
  aggregated_p95_latency_ms: figure,
  aggregated_storage_read_p95_ms: figure,
  aggregated_device_read_p95_ms: figure,
  aggregated_device_write_p95_ms: figure,
  rank_count: z.number().optional(),
  trial_count: z.number().optional(),
  partial_failure: z.boolean().optional(),
  missing_files: z.array(z.string()).optional(),
  cpu_tier_ranks: z.array(z.string()).optional(),
})
export type KvOptionSummary = z.infer<typeof KvOptionSummarySchema>

/** mlpstorage's KV-cache run summary (`schema_version` "1.0"). */
export const KvRunSummarySchema = z.looseObject({
  schema_version: z.string().optional(),
  run_datetime: z.string().optional(),
  npernode: z.number().optional(),
  host_count: z.number().optional(),
  total_ranks: z.number().optional(),
  trials_per_option: z.number().optional(),
  options: z.record(z.string(), KvOptionSummarySchema),
  partial_failure: z.boolean().optional(),
})
export type KvRunSummary = z.infer<typeof KvRunSummarySchema>

/** vdbbench's run statistics or the datagen summary; every key optional, numbers typed where present. */
export const VectordbSummarySchema = z.looseObject({
  throughput_qps: figure,
  total_queries: figure,
  mean_latency_ms: figure,
  median_latency_ms: figure,
  p95_latency_ms: figure,
  p99_latency_ms: figure,
  p999_latency_ms: figure,
  mean_recall: figure,
  recall: z.looseObject({recall_at_k: figure, mean_recall: figure, k: figure}).optional(),
  num_vectors: figure,
  inserted_vectors: figure,
  dimension: figure,
  index_type: z.string().optional(),
  load_seconds: figure,
  index_build_seconds: figure,
})
export type VectordbSummary = z.infer<typeof VectordbSummarySchema>

/** The per-option run metrics, named as the kvcache plugin records them (plugins/kvcache record-metrics). */
export const KV_OPTION_METRICS = {
  throughput_tokens_per_second: 'aggregated_avg_throughput_tokens_per_sec',
  storage_throughput_tokens_per_second: 'aggregated_storage_throughput_tokens_per_sec',
  read_GiB_per_second: 'aggregated_read_bandwidth_gbps',
  write_GiB_per_second: 'aggregated_write_bandwidth_gbps',
  // the report's "P95 Read Latency (ms)" is the storage-read P95, not aggregated_p95_latency_ms (rules.md §1.3, §4 item 16)
  read_p95_ms: 'aggregated_storage_read_p95_ms',
  storage_io_p95_ms: 'aggregated_p95_latency_ms',
  device_read_p95_ms: 'aggregated_device_read_p95_ms',
  device_write_p95_ms: 'aggregated_device_write_p95_ms',
} as const satisfies Record<string, keyof KvOptionSummary>

/**
 * Flat metrics from a KV-cache run summary, `kvcache_opt<O>_<name>`. A key
 * the summary lacks is left out (not evaluable), never set to 0.
 */
export function kvcacheSummaryMetrics(summary: KvRunSummary): Record<string, MetricValue> {
  const metrics: Record<string, MetricValue> = {}
  if (summary.partial_failure !== undefined) metrics.kvcache_partial_failure = summary.partial_failure
  if (summary.total_ranks !== undefined) metrics.kvcache_total_ranks = summary.total_ranks
  for (const [key, option] of Object.entries(summary.options)) {
    const number = option.option ?? Number(key)
    if (!Number.isInteger(number)) continue
    for (const [name, source] of Object.entries(KV_OPTION_METRICS)) {
      const value = option[source]
      if (value !== undefined) metrics[`kvcache_opt${number}_${name}`] = value
    }
  }
  return metrics
}

/** Flat metrics from a vector-database summary, named as the vectordb plugin records them. */
export function vectordbSummaryMetrics(summary: VectordbSummary): Record<string, MetricValue> {
  const pairs: Array<[string, number | null | undefined]> = [
    ['throughput_qps', summary.throughput_qps], ['total_queries', summary.total_queries], ['mean_latency_ms', summary.mean_latency_ms],
    ['p50_latency_ms', summary.median_latency_ms], ['p95_latency_ms', summary.p95_latency_ms], ['p99_latency_ms', summary.p99_latency_ms],
    ['p999_latency_ms', summary.p999_latency_ms], ['recall_at_k', summary.mean_recall ?? summary.recall?.recall_at_k ?? summary.recall?.mean_recall],
    ['num_vectors', summary.num_vectors], ['inserted_vectors', summary.inserted_vectors], ['dimension', summary.dimension],
    ['load_seconds', summary.load_seconds], ['index_build_seconds', summary.index_build_seconds],
  ]
  return Object.fromEntries(pairs.filter(([, value]) => value !== undefined)) as Record<string, MetricValue>
}

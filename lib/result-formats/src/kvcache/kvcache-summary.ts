import {type LoadedRun, type MetricValue, z} from 'mlps'

// mlpstorage's aggregated KV-cache run summary as the v3.0 tree holds it
// (rules.md §2.1 diagram R 2.1.27: `kv_cache/<model>/run/<ts>/summary.json`; engines.md §3.5).

/** the format name the KV-cache benchmark's reader gives the summaries it reads */
export const KV_RUN_SUMMARY_FORMAT = 'kvcache-run-summary'

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

/** The per-option run metrics, named as the KV-cache benchmark records them. */
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


/** The run's KV-cache summary, as the benchmark's reader parsed it. */
export function kvRunSummaryOf(run: LoadedRun): KvRunSummary | undefined {
  return run.summaries.find(summary => summary.format === KV_RUN_SUMMARY_FORMAT)?.summary as KvRunSummary | undefined
}

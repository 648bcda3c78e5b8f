import type {MetricValue} from 'mlps'
import type {KvRunSummary} from './run-summary.js'

/**
 * Flat run-record metrics, one set per option (the v3.0 table reports each option: rules.md §1.3,
 * "Throughput (tok/s)", "Read B/W (GiB/s)", "Write B/W (GiB/s)", "P95 Read Latency (ms)").
 * Null means not evaluable; `ctx.record.extra.kvcache` says why.
 */
export function recordMetrics(summary: KvRunSummary): Record<string, MetricValue> {
  const metrics: Record<string, MetricValue> = {kvcache_partial_failure: summary.partialFailure, kvcache_total_ranks: summary.plan.ranks}
  for (const option of summary.options) {
    const prefix = `kvcache_opt${option.option}`
    metrics[`${prefix}_throughput_tokens_per_second`] = option.avgThroughputTokensPerSecond
    metrics[`${prefix}_storage_throughput_tokens_per_second`] = option.storageThroughputTokensPerSecond
    metrics[`${prefix}_read_GiB_per_second`] = option.readBandwidthGiBps
    metrics[`${prefix}_write_GiB_per_second`] = option.writeBandwidthGiBps
    metrics[`${prefix}_read_p95_ms`] = option.storageReadP95Ms
    metrics[`${prefix}_storage_io_p50_ms`] = option.p50LatencyMs
    metrics[`${prefix}_storage_io_p95_ms`] = option.p95LatencyMs
    metrics[`${prefix}_storage_io_p99_ms`] = option.p99LatencyMs
    metrics[`${prefix}_device_read_p95_ms`] = option.deviceReadP95Ms
    metrics[`${prefix}_device_write_p95_ms`] = option.deviceWriteP95Ms
  }
  return metrics
}

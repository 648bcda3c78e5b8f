import type {VdbbenchStatistics} from './vdbbench-statistics.js'

export interface HostStatistics {
  host: string
  stats: VdbbenchStatistics
}

const max = (values: number[]) => Math.max(...values)
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** Σ of a field every host reports; undefined when one of them does not (a partial sum would understate). */
function sumIfAll(hosts: readonly HostStatistics[], pick: (stats: VdbbenchStatistics) => number | undefined): number | undefined {
  const values = hosts.map(host => pick(host.stats))
  return values.every(value => value !== undefined) ? sum(values as number[]) : undefined
}

function maxIfAny(hosts: readonly HostStatistics[], pick: (stats: VdbbenchStatistics) => number | undefined): number | undefined {
  const values = hosts.map(host => pick(host.stats)).filter(value => value !== undefined)
  return values.length > 0 ? max(values) : undefined
}

/**
 * One statistics object for a run spread over hosts, each of which ran its
 * own vdbbench against the same collection at the same time.
 *
 * - Throughput: the hosts' QPS summed (each is its own queries over its own
 *   timed window, and the windows overlap); queries and batches summed; the
 *   time is the longest host's.
 * - Mean latency: weighted by each host's query count, which is exact.
 * - Percentiles (median, p95, p99, p99.9, p99.99): the reference does not
 *   say how it combines them (mlpstorage-spec.md §5, engines.md §4.3 name
 *   mpi_aggregate.py without its method), and the per-query latencies are
 *   not in the outputs, so the true merged percentile cannot be computed.
 *   The largest host's percentile is taken: a conservative upper bound (the
 *   merged p-th percentile can never exceed the largest per-host one).
 * - Recall: each host compares its answers with the same ground truth
 *   (same seed, same query vectors); the lowest host's recall is reported.
 */
export function combineHostStatistics(hosts: readonly HostStatistics[]): VdbbenchStatistics {
  if (hosts.length === 0) throw new Error('combineHostStatistics: no hosts')
  if (hosts.length === 1) return hosts[0].stats
  const totalQueries = sum(hosts.map(host => host.stats.total_queries))
  const recalls = hosts.map(host => host.stats.recall).filter(recall => recall !== undefined)
  const lowestRecall = recalls.sort((a, b) => a.recall_at_k - b.recall_at_k)[0]
  const combined: VdbbenchStatistics = {
    total_queries: totalQueries,
    total_time_seconds: max(hosts.map(host => host.stats.total_time_seconds)),
    throughput_qps: sum(hosts.map(host => host.stats.throughput_qps)),
    mean_latency_ms: totalQueries > 0 ? sum(hosts.map(host => host.stats.mean_latency_ms * host.stats.total_queries)) / totalQueries : max(hosts.map(host => host.stats.mean_latency_ms)),
    median_latency_ms: maxIfAny(hosts, stats => stats.median_latency_ms),
    min_latency_ms: hosts.every(host => host.stats.min_latency_ms !== undefined) ? Math.min(...hosts.map(host => host.stats.min_latency_ms!)) : undefined,
    max_latency_ms: maxIfAny(hosts, stats => stats.max_latency_ms),
    p95_latency_ms: max(hosts.map(host => host.stats.p95_latency_ms)),
    p99_latency_ms: max(hosts.map(host => host.stats.p99_latency_ms)),
    p999_latency_ms: max(hosts.map(host => host.stats.p999_latency_ms)),
    p9999_latency_ms: maxIfAny(hosts, stats => stats.p9999_latency_ms),
    batch_count: sumIfAll(hosts, stats => stats.batch_count),
    successful_batches: sumIfAll(hosts, stats => stats.successful_batches),
    failed_batches: sumIfAll(hosts, stats => stats.failed_batches),
    recall: lowestRecall,
    combined_from_hosts: hosts.map(host => host.host),
    percentiles_combined_as: 'max over hosts (upper bound)',
  }
  for (const key of Object.keys(combined) as Array<keyof typeof combined>) {
    if (combined[key] === undefined) delete combined[key]
  }
  return combined
}

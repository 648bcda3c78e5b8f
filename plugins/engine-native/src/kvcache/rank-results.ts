import {percentiles, type Percentiles} from './percentile.js'
import type {IoSample, RankSimulation, Tier} from './rank-simulation.js'

const GiB = 2 ** 30

function tierOpPercentiles(io: readonly IoSample[], tier: Tier, op: IoSample['op']): Record<string, number> {
  const samples = io.filter(sample => sample.tier === tier && sample.op === op).map(sample => sample.ms)
  if (samples.length === 0) return {}
  const p = percentiles(samples)
  return {[`${tier}_${op}_p50_ms`]: p.p50, [`${tier}_${op}_p95_ms`]: p.p95, [`${tier}_${op}_p99_ms`]: p.p99, [`${tier}_${op}_p999_ms`]: p.p999, [`${tier}_${op}_p9999_ms`]: p.p9999}
}

function bytesOf(io: readonly IoSample[], tier: Tier, op: IoSample['op']): number {
  return io.filter(sample => sample.tier === tier && sample.op === op).reduce((total, sample) => total + sample.bytes, 0)
}

/**
 * A rank's results in kv-cache.py v3.0's `--output` schema (engines.md §3.5), so the kvcache plugin
 * parses and aggregates native and official runs alike. Every figure is computed from the samples
 * written beside it: latencies with numpy's percentile, bandwidth as wall-clock GiB/s of the storage
 * tier. Device-level latencies need bpftrace and are not reported; neither is QoS.
 */
export function rankResultsDocument(simulation: RankSimulation, seed: number, samplesFile: string): Record<string, unknown> {
  const {requests, io, elapsedSeconds} = simulation
  const totalTokens = requests.reduce((total, request) => total + request.generatedTokens, 0)
  const storageSeconds = requests.reduce((total, request) => total + request.storageMs, 0) / 1000
  const storageRead = bytesOf(io, 'storage', 'read')
  const storageWritten = bytesOf(io, 'storage', 'write')
  const cpuRead = bytesOf(io, 'cpu', 'read')
  const cpuWritten = bytesOf(io, 'cpu', 'write')
  const totalRead = storageRead + cpuRead
  const totalWritten = storageWritten + cpuWritten
  const lookups = simulation.cacheHits + simulation.cacheMisses
  const latency = (values: number[]): Percentiles => percentiles(values)
  return {
    requests_completed: requests.length,
    total_tokens_generated: totalTokens,
    total_storage_io_latency: storageSeconds,
    total_generation_latency: requests.reduce((total, request) => total + request.generationMs, 0) / 1000,
    end_to_end_latencies: requests.map(request => request.endToEndMs / 1000),
    storage_latencies: requests.map(request => request.storageMs / 1000),
    generation_latencies: requests.map(request => request.generationMs / 1000),
    seed,
    summary: {
      total_requests: requests.length,
      total_tokens: totalTokens,
      elapsed_time: elapsedSeconds,
      avg_throughput_tokens_per_sec: totalTokens / elapsedSeconds,
      total_storage_io_time: storageSeconds,
      storage_throughput_tokens_per_sec: storageSeconds > 0 ? totalTokens / storageSeconds : 0,
      requests_per_second: requests.length / elapsedSeconds,
      end_to_end_latency_ms: latency(requests.map(request => request.endToEndMs)),
      storage_io_latency_ms: latency(requests.map(request => request.storageMs)),
      generation_latency_ms: latency(requests.map(request => request.generationMs)),
      cache_stats: {
        cache_hit_rate: lookups === 0 ? 0 : simulation.cacheHits / lookups,
        cache_hits: simulation.cacheHits,
        cache_misses: simulation.cacheMisses,
        gpu_entries: 0,
        cpu_entries: simulation.cpuEntries,
        storage_entries: simulation.storageEntries,
        offloads_storage: simulation.offloadsStorage,
        prefill_writes: requests.length,
        decode_reads: io.filter(sample => sample.op === 'read').length,
        tier_cpu_kv_bytes_written_gb: cpuWritten / GiB,
        tier_cpu_kv_bytes_read_gb: cpuRead / GiB,
        tier_storage_kv_bytes_written_gb: storageWritten / GiB,
        tier_storage_kv_bytes_read_gb: storageRead / GiB,
        tier_cpu_read_bandwidth_gbps: cpuRead / GiB / elapsedSeconds,
        tier_cpu_write_bandwidth_gbps: cpuWritten / GiB / elapsedSeconds,
        tier_storage_read_bandwidth_gbps: storageRead / GiB / elapsedSeconds,
        tier_storage_write_bandwidth_gbps: storageWritten / GiB / elapsedSeconds,
        total_read_bytes: totalRead,
        total_write_bytes: totalWritten,
        total_read_gb: totalRead / GiB,
        total_write_gb: totalWritten / GiB,
        read_write_ratio: totalWritten === 0 ? 0 : totalRead / totalWritten,
        read_iops: io.filter(sample => sample.op === 'read').length,
        write_iops: io.filter(sample => sample.op === 'write').length,
        ...tierOpPercentiles(io, 'cpu', 'read'),
        ...tierOpPercentiles(io, 'cpu', 'write'),
        ...tierOpPercentiles(io, 'storage', 'read'),
        ...tierOpPercentiles(io, 'storage', 'write'),
      },
    },
    mlps_native: {
      engine: 'native',
      samples_file: samplesFile,
      page_cache_bypassed_on_read: simulation.readMode.pageCacheBypassed,
      ...(simulation.readMode.reason ? {page_cache_note: simulation.readMode.reason} : {}),
    },
  }
}

/** The raw samples, one JSON object per line: every I/O, then every request. */
export function samplesJsonLines(simulation: RankSimulation): string {
  const lines = [
    ...simulation.io.map(sample => JSON.stringify({kind: 'io', ...sample})),
    ...simulation.requests.map(request => JSON.stringify({kind: 'request', ...request})),
  ]
  return lines.join('\n') + '\n'
}

import type {HostInfo} from './host-info.js'
import type {BlockMetrics, TrainingMetric} from './dlio-metrics.js'
import type {RankEpochTimings} from './run-protocol.js'
import {dlioTimestamp} from './wall-clock.js'

/** DLIO writes training durations as strings with two decimals (engines.md §2.3). */
export function dlioDuration(seconds: number): string {
  return seconds.toFixed(2)
}

/** `<rank>_per_epoch_stats.json`: `{"<e>": {start, block1: {start, end, duration}, end, duration}}`. */
export function perEpochStats(epochs: readonly RankEpochTimings[], epochWallMs: readonly {start: number; end: number}[]) {
  return Object.fromEntries(epochs.map((timings, e) => {
    const block = {
      start: dlioTimestamp(timings.blockStartWallMs),
      end: dlioTimestamp(timings.blockEndWallMs),
      duration: dlioDuration((timings.blockEndWallMs - timings.blockStartWallMs) / 1000),
    }
    const {start, end} = epochWallMs[e]
    return [String(timings.epoch), {start: dlioTimestamp(start), block1: block, end: dlioTimestamp(end), duration: dlioDuration((end - start) / 1000)}]
  }))
}

/**
 * `<rank>_output.json`: host facts, then per epoch the raw per-step
 * load/proc/compute arrays and the block's AU and throughput (engines.md §2.4).
 */
export function rankOutput(
  host: HostInfo,
  potentialCaching: 0 | 1,
  epochs: readonly RankEpochTimings[],
  metrics: readonly BlockMetrics[],
  meminfoPerEpoch: readonly Record<string, string>[],
  endWallMs: readonly number[],
) {
  return {
    host_memory_GB: host.memoryGB,
    host_cpu_count: host.cpuCount,
    host_processor_name: host.processorName,
    potential_caching: potentialCaching,
    host_cpuinfo: host.cpuinfo,
    host_meminfo: host.meminfo,
    ...Object.fromEntries(epochs.map((timings, e) => [String(timings.epoch), {
      load: {block1: Array.from(timings.load)},
      proc: {block1: Array.from(timings.proc)},
      throughput: {block1: metrics[e].throughput},
      au: {block1: metrics[e].au},
      compute: {block1: Array.from(timings.compute)},
      host_meminfo: meminfoPerEpoch[e],
      end: dlioTimestamp(endWallMs[e]),
    }])),
    hostname: host.hostname,
  }
}

export interface DlioSummaryDocument {
  start: string
  num_accelerators: number
  num_hosts: number
  hostname: string
  metric: TrainingMetric
  num_files_train: number
  num_files_eval: number
  num_samples_per_file: number
  host_cpu_count: number[]
  host_processor_name: string
  potential_caching: number[]
  host_cpuinfo: Record<string, string>
  host_meminfo: Record<string, string>
  host_memory_GB: number[]
  data_size_per_host_GB: number
  epochs: number
  end: string
  /** Not a DLIO key: marks files written by this emulation (engines.md §6.10 asks for an explicit engine tag). */
  engine: 'native'
}

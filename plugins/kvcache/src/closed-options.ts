import type {KvWorkloadParams} from '@mlps/run-options'

/** What one kv-cache.py pass is asked to do (the flags mlps passes, engines.md §3.3). */
export type {KvWorkloadParams} from '@mlps/run-options'

export interface ClosedOption {
  option: 1 | 2 | 3
  name: string
  params: KvWorkloadParams
}

/**
 * The three CLOSED workload options (rules.md §1.3, Rules Table KVCache-1; mlpstorage-spec.md §4.2
 * WORKLOAD_PARAMS), emitted verbatim in CLOSED. Immutable (R 6.3.1.1).
 */
export const CLOSED_OPTIONS: readonly ClosedOption[] = [
  {option: 1, name: 'Max Storage Stress', params: {model: 'llama3.1-8b', numUsers: 200, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 0, maxConcurrentAllocs: 16, generationMode: 'none'}},
  {option: 2, name: 'Storage Throughput', params: {model: 'llama3.1-8b', numUsers: 100, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 4, maxConcurrentAllocs: 16, generationMode: 'none'}},
  {option: 3, name: 'Large Model (70B)', params: {model: 'llama3.1-70b-instruct', numUsers: 70, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 0, maxConcurrentAllocs: 4, generationMode: 'none'}},
]

/** CLOSED sequence locks (rules.md §1.3, R 6.3.2): seed 42, 3 trials per option, 90 s between options. */
export const CLOSED_SEED = 42
export const CLOSED_TRIALS = 3
export const CLOSED_INTER_OPTION_DELAY_SECONDS = 90
/** mlperf_wrapper.py (v3.0) sleeps --start-delay 90 s before and --end-delay 90 s after every pass of every rank. */
export const CLOSED_PASS_DELAY_SECONDS = 90

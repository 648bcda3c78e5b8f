import {freemem} from 'node:os'
import type {KvcacheRunOptions} from '@mlps/run-options'
import {RAM_CHUNK_BYTES} from './ram-tier.js'
import {STORAGE_READ_BUFFER_BYTES} from './storage-tier.js'

const GiB = 2 ** 30
/** Node, the engine's code and its per-request records: measured near 100 MiB on a 5 s pass, doubled for long passes */
export const PROCESS_BASELINE_BYTES = 256 * 2 ** 20
const NOISE_BYTES = 8 * 2 ** 20

export interface KvMemoryNeed {
  /** all ranks' RAM tiers at the largest pass's --cpu-mem-gb */
  tiersBytes: number
  /** read buffers: one per request in flight per rank, and each rank's copy chunk */
  buffersBytes: number
  totalBytes: number
}

/**
 * What the native engine holds at most: every rank runs in this process, each with its own RAM
 * tier (ram-tier.ts keeps it within --cpu-mem-gb) and one storage read buffer per request in
 * flight (--max-concurrent-allocs; 0 means every user).
 */
export function kvMemoryNeed(plan: Pick<KvcacheRunOptions, 'passes' | 'ranks'>): KvMemoryNeed {
  const tiersBytes = plan.ranks * Math.max(...plan.passes.map(pass => pass.params.cpuMemGb)) * GiB
  const inFlight = Math.max(...plan.passes.map(pass => pass.params.maxConcurrentAllocs > 0 ? Math.min(pass.params.maxConcurrentAllocs, pass.params.numUsers) : pass.params.numUsers))
  const buffersBytes = plan.ranks * (inFlight * STORAGE_READ_BUFFER_BYTES + RAM_CHUNK_BYTES)
  return {tiersBytes, buffersBytes, totalBytes: tiersBytes + buffersBytes + NOISE_BYTES + PROCESS_BASELINE_BYTES}
}

/** Memory this process can still take: what the kernel says is available, within the process's cgroup limit. */
export function availableMemoryBytes(): number {
  const withinCgroup = (process as {availableMemory?: () => number}).availableMemory?.()
  return Math.min(freemem(), withinCgroup ?? Number.POSITIVE_INFINITY)
}

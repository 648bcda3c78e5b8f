import type {KvWorkloadParams} from './closed-options.js'
import {type KvModel, kvBytesPerToken} from './models.js'
import {USER_TEMPLATES} from './user-templates.js'

const GiB = 2 ** 30

export interface KvDatasize {
  model: string
  bytesPerToken: number
  /** mean and largest KV block of one request, from the user templates' context ranges */
  meanBlockBytes: number
  maxBlockBytes: number
  /** blocks a rank keeps alive at least: each user's current and previous turn */
  perRankWorkingSetBytes: number
  /** all ranks together */
  totalWorkingSetBytes: number
  /** storage the cache directory needs at least: the working set beyond the RAM tiers, twice for headroom */
  storageBytesNeeded: number
  /** kv-cache.py's own RAM estimate for a rank (engines.md §5.2 "MEMORY SAFETY CHECK"): 2 × in-flight blocks + 2.5 GiB */
  ramBytesPerRank: number
  inFlightBlocks: number
}

/**
 * One sizing model for KV cache, from the real model geometry (models.ts) and the user templates'
 * context ranges (user-templates.ts): the reference's own datasize used rough per-token figures that
 * disagree with the geometry (mlpstorage-spec.md §4.1), so it is not reproduced.
 */
export function kvDatasize(model: KvModel, params: Pick<KvWorkloadParams, 'numUsers' | 'gpuMemGb' | 'cpuMemGb' | 'maxConcurrentAllocs'>, ranks: number): KvDatasize {
  const bytesPerToken = kvBytesPerToken(model)
  const meanContext = USER_TEMPLATES.reduce((total, t) => total + (t.contextTokens[0] + t.contextTokens[1]) / 2, 0) / USER_TEMPLATES.length
  const maxContext = Math.max(...USER_TEMPLATES.map(t => t.contextTokens[1]))
  const meanBlockBytes = Math.round(meanContext * bytesPerToken)
  const perRankWorkingSetBytes = params.numUsers * 2 * meanBlockBytes
  const memoryTiersBytes = (params.gpuMemGb + params.cpuMemGb) * GiB
  const inFlightBlocks = params.maxConcurrentAllocs > 0 ? Math.min(params.numUsers, params.maxConcurrentAllocs) : params.numUsers
  return {
    model: model.name,
    bytesPerToken,
    meanBlockBytes,
    maxBlockBytes: maxContext * bytesPerToken,
    perRankWorkingSetBytes,
    totalWorkingSetBytes: perRankWorkingSetBytes * ranks,
    storageBytesNeeded: Math.max(0, perRankWorkingSetBytes - memoryTiersBytes) * ranks * 2,
    ramBytesPerRank: inFlightBlocks * 2 * meanBlockBytes + 2.5 * GiB,
    inFlightBlocks,
  }
}

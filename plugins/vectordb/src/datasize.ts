import {INDEX_OVERHEAD, type IndexType} from './index-types.js'

export interface VectordbDatasize {
  numVectors: number
  dimension: number
  indexType: IndexType
  numShards: number
  rawBytes: number
  overhead: number
  totalBytes: number
}

/**
 * Disk for a collection: raw float32 vectors × the index's overhead
 * (mlpstorage-spec.md §5.2). Shards partition the vectors, so unlike
 * mlpstorage the shard count does not multiply the total.
 */
export function vectordbDatasize(numVectors: number, dimension: number, indexType: IndexType, numShards: number): VectordbDatasize {
  const rawBytes = numVectors * dimension * 4
  const overhead = INDEX_OVERHEAD[indexType]
  return {numVectors, dimension, indexType, numShards, rawBytes, overhead, totalBytes: Math.ceil(rawBytes * overhead)}
}

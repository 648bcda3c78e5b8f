import {CLOSED_INDEX_TYPES, type IndexType} from '@mlps/run-options'

/** Index types by division (rules.md §1.4; Rules §5.6), shared with the engines through the run options. */
export {CLOSED_INDEX_TYPES, INDEX_TYPES, type IndexType, OPEN_INDEX_TYPES} from '@mlps/run-options'

export const METRIC_TYPES = ['COSINE', 'L2', 'IP'] as const
export const DISTRIBUTIONS = ['uniform', 'normal', 'zipfian'] as const
export const VECTOR_DTYPES = ['FLOAT_VECTOR'] as const

/**
 * mlpstorage's datasize overhead per index over the raw float32 vectors
 * (mlpstorage-spec.md §5.2). Unlike mlpstorage we do not multiply by the
 * shard count: shards partition the vectors, they do not copy them.
 */
export const INDEX_OVERHEAD: Record<IndexType, number> = {DISKANN: 1.3, HNSW: 1.5, AISAQ: 0.15, IVF_FLAT: 1.05, IVF_SQ8: 0.4, FLAT: 1.0}

export function isClosedIndex(index: string): boolean {
  return (CLOSED_INDEX_TYPES as readonly string[]).includes(index)
}

/** mlpstorage's collection naming: mlps_1m_1shards_1536dim_uniform (engines.md §4.2). */
export function defaultCollectionName(numVectors: number, numShards: number, dimension: number, distribution: string): string {
  const count = numVectors % 1_000_000 === 0 ? `${numVectors / 1_000_000}m` : numVectors % 1000 === 0 ? `${numVectors / 1000}k` : String(numVectors)
  return `mlps_${count}_${numShards}shards_${dimension}dim_${distribution}`
}

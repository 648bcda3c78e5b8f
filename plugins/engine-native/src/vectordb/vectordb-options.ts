import {z} from 'mlps'

/**
 * What the native engine reads from the vectordb benchmark's options
 * (ctx.options, filled by `mlps vectordb datagen|run`). The benchmark plugin
 * owns the flags; this schema is the engine's side of that contract, so a
 * mismatch is a clear error instead of an undefined read.
 */
export const NATIVE_INDEX_TYPES = ['FLAT', 'IVF_FLAT', 'HNSW'] as const
export type NativeIndexType = typeof NATIVE_INDEX_TYPES[number]
export const METRIC_TYPES = ['COSINE', 'L2', 'IP'] as const
export type MetricType = typeof METRIC_TYPES[number]
export const DISTRIBUTIONS = ['uniform', 'normal', 'zipfian'] as const
export type Distribution = typeof DISTRIBUTIONS[number]

export const NativeVectordbOptionsSchema = z.object({
  dataDir: z.string().min(1, 'the native vector store needs --data-dir (the storage under test)'),
  collection: z.string().regex(/^[A-Za-z_][\w-]*$/, 'letters, digits, _ and - only'),
  indexType: z.string(),
  metricType: z.enum(METRIC_TYPES),
  dimension: z.number().int().positive(),
  numVectors: z.number().int().positive(),
  distribution: z.enum(DISTRIBUTIONS),
  loadBatchSize: z.number().int().positive(),
  chunkSize: z.number().int().positive(),
  force: z.boolean().default(false),
  seed: z.number().int().min(0).max(0xffffffff),
  indexParams: z.object({
    M: z.number().int().positive(),
    efConstruction: z.number().int().positive(),
    nlist: z.number().int().positive().optional(),
  }),
  processes: z.number().int().positive(),
  queryBatchSize: z.number().int().positive(),
  runtime: z.number().positive().optional(),
  queries: z.number().int().positive().optional(),
  searchLimit: z.number().int().positive(),
  searchEf: z.number().int().positive(),
  nprobe: z.number().int().positive(),
  numQueryVectors: z.number().int().positive(),
  recallK: z.number().int().positive(),
}).passthrough()

export type NativeVectordbOptions = z.output<typeof NativeVectordbOptionsSchema>

import {z} from 'mlps'

/** Index types by division (rules.md §1.4; Rules §5.6): CLOSED is Milvus with DISKANN, HNSW or AISAQ. */
export const CLOSED_INDEX_TYPES = ['DISKANN', 'HNSW', 'AISAQ'] as const
export const OPEN_INDEX_TYPES = ['IVF_FLAT', 'IVF_SQ8', 'FLAT'] as const
export const INDEX_TYPES = [...CLOSED_INDEX_TYPES, ...OPEN_INDEX_TYPES] as const
export type IndexType = typeof INDEX_TYPES[number]

const positiveInt = z.number().int().positive()

/**
 * What `mlps vectordb datagen|run` hands an engine (vdbbench, native) as
 * ctx.options, with mlpstorage's defaults applied (mlpstorage-spec.md §2.7,
 * engines.md §4.3). Engines check what only they need (the native store
 * needs a data dir) in their preflight.
 */
export const VectordbRunOptionsSchema = z.object({
  engine: z.string().min(1),
  /** the results-tree folder under vector_database: milvus for vdbbench, native for the embedded store */
  backend: z.string().min(1),
  dataDir: z.string().min(1).optional(),
  collection: z.string().min(1),
  indexType: z.enum(INDEX_TYPES),
  metricType: z.string().min(1),
  dimension: positiveInt,
  numVectors: positiveInt,
  distribution: z.string().min(1),
  numShards: positiveInt,
  vectorDtype: z.string().min(1),
  loadBatchSize: positiveInt,
  chunkSize: positiveInt,
  force: z.boolean(),
  compact: z.boolean(),
  monitorInterval: positiveInt,
  seed: z.number().int().min(0).max(0xffffffff),
  indexParams: z.object({M: positiveInt, efConstruction: positiveInt, maxDegree: positiveInt, searchListSize: positiveInt, inlinePq: positiveInt, nlist: positiveInt.optional()}),
  processes: positiveInt,
  queryBatchSize: positiveInt,
  runtime: z.number().positive().optional(),
  queries: positiveInt.optional(),
  reportCount: positiveInt,
  searchLimit: positiveInt,
  searchEf: positiveInt,
  nprobe: positiveInt,
  numQueryVectors: positiveInt,
  recallK: positiveInt,
  gtCollection: z.string().min(1),
  milvus: z.object({host: z.string().min(1), port: z.number().int().min(1).max(65535), uri: z.string().optional()}),
  vdbConfig: z.string().min(1).optional(),
  /** vdbbench: --orchestration, when given (else engines.vdbbench.orchestration decides) */
  orchestration: z.enum(['local', 'mpi', 'ssh']).optional(),
})
export type VectordbRunOptions = z.output<typeof VectordbRunOptionsSchema>

export const VECTORDB_RUN_OPTION_FLAGS = {
  engine: '--engine', dataDir: '--data-dir', collection: '--collection', indexType: '--index-type', metricType: '--metric-type', dimension: '--dimension',
  numVectors: '--num-vectors', distribution: '--distribution', numShards: '--num-shards', vectorDtype: '--vector-dtype', loadBatchSize: '--batch-size',
  chunkSize: '--chunk-size', force: '--force', compact: '--compact', monitorInterval: '--monitor-interval', seed: '--seed',
  'indexParams.M': '--M', 'indexParams.efConstruction': '--ef-construction', 'indexParams.maxDegree': '--max-degree',
  'indexParams.searchListSize': '--search-list-size', 'indexParams.inlinePq': '--inline-pq', 'indexParams.nlist': '--nlist',
  processes: '--num-query-processes', queryBatchSize: '--batch-size', runtime: '--runtime', queries: '--queries', reportCount: '--report-count',
  searchLimit: '--search-limit', searchEf: '--search-ef', nprobe: '--nprobe', numQueryVectors: '--num-query-vectors', recallK: '--recall-k',
  gtCollection: '--gt-collection', 'milvus.host': '--host', 'milvus.port': '--port', 'milvus.uri': '--uri', vdbConfig: '--vdb-config',
  orchestration: '--orchestration',
} as const

import {Flags, type Interfaces} from 'mlps'
import {LIMITS} from 'mlps/unstable'
import {DISTRIBUTIONS, INDEX_TYPES, METRIC_TYPES, VECTOR_DTYPES} from './index-types.js'

/**
 * Flags of `mlps vectordb`, spelled as mlpstorage v3.0 spells them
 * (mlpstorage-spec.md §2.7). No oclif defaults: the defaults are applied in
 * vectordb-inputs.ts, so the record can tell what the user chose.
 */
export const collectionFlags = {
  engine: Flags.string({description: 'engine: native (embedded on-disk vector store, default) or vdbbench (the v3.0 Milvus scripts) [config: benchmarks.vectordb.engine]'}),
  'index-type': Flags.option({description: 'index: DISKANN, HNSW, AISAQ (CLOSED) or IVF_FLAT, IVF_SQ8, FLAT (OPEN); native builds FLAT, IVF_FLAT, HNSW [default: DISKANN for vdbbench, IVF_FLAT for native]', options: INDEX_TYPES})(),
  'metric-type': Flags.string({description: 'distance metric [default: COSINE]', options: [...METRIC_TYPES]}),
  dimension: Flags.integer({description: 'vector dimension [default: 1536]', min: 1, max: LIMITS.dimension, aliases: ['vector-dim']}),
  'num-vectors': Flags.integer({description: 'vectors in the collection [default: 1000000]', min: 1, max: LIMITS.vectors}),
  distribution: Flags.string({description: 'distribution of the generated vectors [default: uniform]', options: [...DISTRIBUTIONS]}),
  'num-shards': Flags.integer({description: 'Milvus shards; 1 per million vectors is recommended [default: 1]', min: 1, max: LIMITS.ranksPerHost}),
  collection: Flags.string({description: 'collection name [default: mlps_<N>_<shards>shards_<dim>dim_<distribution>]'}),
  'data-dir': Flags.string({description: 'native engine: where the vector store lives, on the storage under test [config: benchmarks.vectordb.dataDir]'}),
  seed: Flags.integer({description: 'seed of the generated vectors and queries [default: 42]', min: 0, max: LIMITS.seed}),
  host: Flags.string({description: 'Milvus host for vdbbench [default: 127.0.0.1] [config: benchmarks.vectordb.host]'}),
  port: Flags.integer({description: 'Milvus gRPC port for vdbbench [default: 19530] [config: benchmarks.vectordb.port]', min: 1, max: 65535}),
  uri: Flags.string({description: 'Milvus URI, e.g. http://milvus:19530, instead of --host/--port; credentials only from MILVUS_TOKEN or MILVUS_USER/MILVUS_PASSWORD', exclusive: ['host', 'port']}),
  'vdb-config': Flags.string({description: 'vdbbench: a vectordbbench YAML passed to the scripts as --config [config: engines.vdbbench.configFile]'}),
}

export const datagenFlags = {
  'vector-dtype': Flags.string({description: 'vector type [default: FLOAT_VECTOR]', options: [...VECTOR_DTYPES]}),
  'batch-size': Flags.integer({description: 'vectors per insert [default: 1000]', min: 1, max: LIMITS.indexParameter}),
  'chunk-size': Flags.integer({description: 'vectors generated at a time [default: 10000]', min: 1, max: LIMITS.indexParameter}),
  force: Flags.boolean({description: 'drop and recreate the collection if it exists'}),
  M: Flags.integer({description: 'HNSW: graph degree [default: 16]', min: 1, max: LIMITS.indexParameter}),
  'ef-construction': Flags.integer({description: 'HNSW: build-time candidate list [default: 200]', min: 1, max: LIMITS.indexParameter}),
  'max-degree': Flags.integer({description: 'DISKANN/AISAQ: graph degree [default: 16]', min: 1, max: LIMITS.indexParameter}),
  'search-list-size': Flags.integer({description: 'DISKANN/AISAQ: build-time search list [default: 200]', min: 1, max: LIMITS.indexParameter}),
  'inline-pq': Flags.integer({description: 'AISAQ: inline PQ bytes [default: 16]', min: 1, max: LIMITS.indexParameter}),
  nlist: Flags.integer({description: 'native IVF_FLAT/HNSW: partitions [default: √N]', min: 1, max: LIMITS.indexParameter}),
  'monitor-interval': Flags.integer({description: 'vdbbench: seconds between index-build/compaction checks [default: 5]', min: 1, max: LIMITS.seconds}),
  compact: Flags.boolean({description: 'vdbbench: compact after the load and wait for it (--no-compact skips it; CLOSED needs it) [default: true]', allowNo: true}),
}

export const runFlags = {
  'num-query-processes': Flags.integer({description: 'concurrent query clients [default: 1]', min: 1, max: LIMITS.ranks, aliases: ['processes']}),
  'batch-size': Flags.integer({description: 'query vectors per request, per client [default: 1]', min: 1, max: LIMITS.indexParameter}),
  runtime: Flags.integer({description: 'seconds of timed queries [default: 60]', min: 1, max: LIMITS.seconds, exclusive: ['queries']}),
  queries: Flags.integer({description: 'total queries instead of a runtime', min: 1, max: LIMITS.queries, exclusive: ['runtime']}),
  'report-count': Flags.integer({description: 'vdbbench: batches between progress lines [default: 100]', min: 1, max: LIMITS.queries}),
  'search-limit': Flags.integer({description: 'top-k results per query [default: 10]', min: 1, max: LIMITS.indexParameter}),
  'search-ef': Flags.integer({description: 'HNSW ef / DISKANN search list at query time [default: 200]', min: 1, max: LIMITS.indexParameter}),
  nprobe: Flags.integer({description: 'native IVF: partitions probed per query [default: 16]', min: 1, max: LIMITS.indexParameter}),
  'num-query-vectors': Flags.integer({description: 'queries whose recall is measured against exact search [default: 1000]', min: 1, max: LIMITS.indexParameter}),
  'recall-k': Flags.integer({description: 'k of recall@k [default: --search-limit]', min: 1, max: LIMITS.indexParameter}),
  'gt-collection': Flags.string({description: 'vdbbench: the FLAT ground-truth collection [default: <collection>_flat_gt]'}),
  orchestration: Flags.option({description: 'vdbbench: how the query processes are spread over --hosts: local, mpi (launcher, one rank per host) or ssh [default: local when every host is this machine, else mpi when a launcher is found, else ssh] [config: engines.vdbbench.orchestration]', options: ['local', 'mpi', 'ssh'] as const})(),
}

/** The flags of any vectordb command as oclif parses them; each command has some of them, so all are optional. */
export type VectordbFlags = Partial<Interfaces.InferredFlags<typeof collectionFlags & typeof datagenFlags & typeof runFlags>>

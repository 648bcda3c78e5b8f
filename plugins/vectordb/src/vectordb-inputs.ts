import {resolve} from 'node:path'
import {MlpsError, type ResolvedConfig} from 'mlps'
import {defaultCollectionName, type IndexType} from './index-types.js'
import {VectordbOptionsSchema} from './options.js'

/** Every value the vectordb commands hand to an engine as ctx.options; engines validate their part. */
export interface VectordbRunOptions {
  engine: string
  /** the results-tree folder under vector_database: milvus for vdbbench, native for the embedded store */
  backend: string
  dataDir?: string
  collection: string
  indexType: IndexType
  metricType: string
  dimension: number
  numVectors: number
  distribution: string
  numShards: number
  vectorDtype: string
  loadBatchSize: number
  chunkSize: number
  force: boolean
  compact: boolean
  monitorInterval: number
  seed: number
  indexParams: {M: number; efConstruction: number; maxDegree: number; searchListSize: number; inlinePq: number; nlist?: number}
  processes: number
  queryBatchSize: number
  runtime?: number
  queries?: number
  reportCount: number
  searchLimit: number
  searchEf: number
  nprobe: number
  numQueryVectors: number
  recallK: number
  gtCollection: string
  milvus: {host: string; port: number; uri?: string}
  vdbConfig?: string
  /** vdbbench: --orchestration, when given (else engines.vdbbench.orchestration decides) */
  orchestration?: 'local' | 'mpi' | 'ssh'
}

/** flag name → option path, for the record's user overrides */
const FLAG_NAMES: Record<string, string> = {
  'index-type': 'indexType', 'metric-type': 'metricType', dimension: 'dimension', 'num-vectors': 'numVectors', distribution: 'distribution',
  'num-shards': 'numShards', collection: 'collection', seed: 'seed', 'vector-dtype': 'vectorDtype', 'batch-size': 'batchSize', 'chunk-size': 'chunkSize',
  force: 'force', compact: 'compact', M: 'indexParams.M', 'ef-construction': 'indexParams.efConstruction', 'max-degree': 'indexParams.maxDegree',
  'search-list-size': 'indexParams.searchListSize', 'inline-pq': 'indexParams.inlinePq', nlist: 'indexParams.nlist', 'monitor-interval': 'monitorInterval',
  'num-query-processes': 'processes', runtime: 'runtime', queries: 'queries', 'report-count': 'reportCount', 'search-limit': 'searchLimit',
  'search-ef': 'searchEf', nprobe: 'nprobe', 'num-query-vectors': 'numQueryVectors', 'recall-k': 'recallK', 'gt-collection': 'gtCollection',
}

function userOverrides(flags: Record<string, unknown>, command: string): Record<string, unknown> {
  const overrides: Record<string, unknown> = {}
  for (const [flag, path] of Object.entries(FLAG_NAMES)) {
    if (flags[flag] === undefined) continue
    overrides[flag === 'batch-size' ? (command === 'run' ? 'queryBatchSize' : 'loadBatchSize') : path] = flags[flag]
  }
  return overrides
}

/** ctx.options for `vectordb <command>`, with mlpstorage's defaults (mlpstorage-spec.md §2.7, engines.md §4.3). */
export function vectordbOptions(command: 'datagen' | 'run', flags: Record<string, unknown>, resolved: ResolvedConfig): {options: VectordbRunOptions; userOverrides: Record<string, unknown>} {
  const config = VectordbOptionsSchema.parse(resolved.config.benchmarks.vectordb ?? {})
  const engine = (flags.engine as string | undefined) ?? config.engine
  const native = engine === 'native'
  const indexType = ((flags['index-type'] as string | undefined) ?? (native ? 'IVF_FLAT' : 'DISKANN')) as IndexType
  const numVectors = (flags['num-vectors'] as number | undefined) ?? 1_000_000
  const dimension = (flags.dimension as number | undefined) ?? 1536
  const distribution = (flags.distribution as string | undefined) ?? 'uniform'
  const numShards = (flags['num-shards'] as number | undefined) ?? 1
  const collection = (flags.collection as string | undefined) ?? defaultCollectionName(numVectors, numShards, dimension, distribution)
  const searchLimit = (flags['search-limit'] as number | undefined) ?? 10
  const dataDir = (flags['data-dir'] as string | undefined) ?? config.dataDir
  const batchSize = flags['batch-size'] as number | undefined
  const options: VectordbRunOptions = {
    engine,
    backend: native ? 'native' : 'milvus',
    dataDir: dataDir ? resolve(dataDir) : undefined,
    collection,
    indexType,
    metricType: (flags['metric-type'] as string | undefined) ?? 'COSINE',
    dimension,
    numVectors,
    distribution,
    numShards,
    vectorDtype: (flags['vector-dtype'] as string | undefined) ?? 'FLOAT_VECTOR',
    loadBatchSize: (command === 'datagen' ? batchSize : undefined) ?? 1000,
    chunkSize: (flags['chunk-size'] as number | undefined) ?? 10_000,
    force: Boolean(flags.force),
    compact: (flags.compact as boolean | undefined) ?? true,
    monitorInterval: (flags['monitor-interval'] as number | undefined) ?? 5,
    seed: (flags.seed as number | undefined) ?? 42,
    indexParams: {
      M: (flags.M as number | undefined) ?? 16,
      efConstruction: (flags['ef-construction'] as number | undefined) ?? 200,
      maxDegree: (flags['max-degree'] as number | undefined) ?? 16,
      searchListSize: (flags['search-list-size'] as number | undefined) ?? 200,
      inlinePq: (flags['inline-pq'] as number | undefined) ?? 16,
      nlist: flags.nlist as number | undefined,
    },
    processes: (flags['num-query-processes'] as number | undefined) ?? 1,
    queryBatchSize: (command === 'run' ? batchSize : undefined) ?? 1,
    runtime: flags.queries === undefined ? (flags.runtime as number | undefined) ?? 60 : undefined,
    queries: flags.queries as number | undefined,
    reportCount: (flags['report-count'] as number | undefined) ?? 100,
    searchLimit,
    searchEf: (flags['search-ef'] as number | undefined) ?? 200,
    nprobe: (flags.nprobe as number | undefined) ?? 16,
    numQueryVectors: (flags['num-query-vectors'] as number | undefined) ?? 1000,
    recallK: (flags['recall-k'] as number | undefined) ?? searchLimit,
    gtCollection: (flags['gt-collection'] as string | undefined) ?? `${collection}_flat_gt`,
    milvus: milvusEndpoint(flags, config),
    vdbConfig: (flags['vdb-config'] as string | undefined),
    orchestration: flags.orchestration as VectordbRunOptions['orchestration'],
  }
  return {options, userOverrides: userOverrides(flags, command)}
}

function milvusEndpoint(flags: Record<string, unknown>, config: {host?: string; port?: number; uri?: string}): VectordbRunOptions['milvus'] {
  const uri = (flags.uri as string | undefined) ?? (flags.host || flags.port ? undefined : config.uri)
  if (uri) {
    let url: URL
    try {
      url = new URL(uri)
    } catch {
      throw new MlpsError(`"${uri}" is not a URI`, {where: '--uri', fix: 'pass e.g. http://milvus.example:19530'})
    }
    if (url.username || url.password) {
      throw new MlpsError('the URI carries credentials, which would end up in logs and the run record', {where: '--uri', fix: 'remove them from the URI and set MILVUS_TOKEN (or MILVUS_USER and MILVUS_PASSWORD) in the environment'})
    }
    return {host: url.hostname, port: url.port ? Number(url.port) : 19530, uri}
  }
  return {host: (flags.host as string | undefined) ?? config.host ?? '127.0.0.1', port: (flags.port as number | undefined) ?? config.port ?? 19530}
}

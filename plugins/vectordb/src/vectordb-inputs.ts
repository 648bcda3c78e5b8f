import {resolveFolderPath} from 'mlps/unstable'
import type {VectordbRunOptions} from '@mlps/run-options'
import {MlpsError, type ResolvedConfig} from 'mlps'
import {defaultCollectionName} from './index-types.js'
import {VectordbOptionsSchema} from './options.js'
import type {VectordbFlags} from './vectordb-flags.js'

export type {VectordbRunOptions} from '@mlps/run-options'

/** flag name → option path, for the record's user overrides */
const FLAG_NAMES: Partial<Record<keyof VectordbFlags, string>> = {
  'index-type': 'indexType', 'metric-type': 'metricType', dimension: 'dimension', 'num-vectors': 'numVectors', distribution: 'distribution',
  'num-shards': 'numShards', collection: 'collection', seed: 'seed', 'vector-dtype': 'vectorDtype', 'batch-size': 'batchSize', 'chunk-size': 'chunkSize',
  force: 'force', compact: 'compact', M: 'indexParams.M', 'ef-construction': 'indexParams.efConstruction', 'max-degree': 'indexParams.maxDegree',
  'search-list-size': 'indexParams.searchListSize', 'inline-pq': 'indexParams.inlinePq', nlist: 'indexParams.nlist', 'monitor-interval': 'monitorInterval',
  'num-query-processes': 'processes', runtime: 'runtime', queries: 'queries', 'report-count': 'reportCount', 'search-limit': 'searchLimit',
  'search-ef': 'searchEf', nprobe: 'nprobe', 'num-query-vectors': 'numQueryVectors', 'recall-k': 'recallK', 'gt-collection': 'gtCollection',
}

function userOverrides(flags: VectordbFlags, command: string): Record<string, unknown> {
  const overrides: Record<string, unknown> = {}
  for (const [flag, path] of Object.entries(FLAG_NAMES)) {
    if (!isFlagName(flag) || flags[flag] === undefined) continue
    overrides[flag === 'batch-size' ? (command === 'run' ? 'queryBatchSize' : 'loadBatchSize') : path] = flags[flag]
  }
  return overrides
}

/** ctx.options for `vectordb <command>`, with mlpstorage's defaults (mlpstorage-spec.md §2.7, engines.md §4.3). */
function isFlagName(name: string): name is keyof VectordbFlags & keyof typeof FLAG_NAMES {
  return Object.hasOwn(FLAG_NAMES, name)
}

export function vectordbOptions(command: 'datagen' | 'run', flags: VectordbFlags, resolved: ResolvedConfig): {options: VectordbRunOptions; userOverrides: Record<string, unknown>} {
  const config = VectordbOptionsSchema.parse(resolved.config.benchmarks.vectordb ?? {})
  const engine = flags.engine ?? config.engine
  const native = engine === 'native'
  const indexType = flags['index-type'] ?? (native ? 'IVF_FLAT' : 'DISKANN')
  const numVectors = flags['num-vectors'] ?? 1_000_000
  const dimension = flags.dimension ?? 1536
  const distribution = flags.distribution ?? 'uniform'
  const numShards = flags['num-shards'] ?? 1
  const collection = flags.collection ?? defaultCollectionName(numVectors, numShards, dimension, distribution)
  const searchLimit = flags['search-limit'] ?? 10
  const dataDir = flags['data-dir'] ?? config.dataDir
  const batchSize = flags['batch-size']
  const options: VectordbRunOptions = {
    engine,
    backend: native ? 'native' : 'milvus',
    dataDir: dataDir ? resolveFolderPath(dataDir, flags['data-dir'] === undefined ? 'benchmarks.vectordb.dataDir' : '--data-dir',
      'the native vector store is a folder (Milvus keeps its own object storage, set up with Milvus): mount the bucket and give the mount point') : undefined,
    collection,
    indexType,
    metricType: flags['metric-type'] ?? 'COSINE',
    dimension,
    numVectors,
    distribution,
    numShards,
    vectorDtype: flags['vector-dtype'] ?? 'FLOAT_VECTOR',
    loadBatchSize: (command === 'datagen' ? batchSize : undefined) ?? 1000,
    chunkSize: flags['chunk-size'] ?? 10_000,
    force: Boolean(flags.force),
    compact: flags.compact ?? true,
    monitorInterval: flags['monitor-interval'] ?? 5,
    seed: flags.seed ?? 42,
    indexParams: {
      M: flags.M ?? 16,
      efConstruction: flags['ef-construction'] ?? 200,
      maxDegree: flags['max-degree'] ?? 16,
      searchListSize: flags['search-list-size'] ?? 200,
      inlinePq: flags['inline-pq'] ?? 16,
      nlist: flags.nlist,
    },
    processes: flags['num-query-processes'] ?? 1,
    queryBatchSize: (command === 'run' ? batchSize : undefined) ?? 1,
    runtime: flags.queries === undefined ? flags.runtime ?? 60 : undefined,
    queries: flags.queries,
    reportCount: flags['report-count'] ?? 100,
    searchLimit,
    searchEf: flags['search-ef'] ?? 200,
    nprobe: flags.nprobe ?? 16,
    numQueryVectors: flags['num-query-vectors'] ?? 1000,
    recallK: flags['recall-k'] ?? searchLimit,
    gtCollection: flags['gt-collection'] ?? `${collection}_flat_gt`,
    milvus: milvusEndpoint(flags, config),
    vdbConfig: flags['vdb-config'],
    orchestration: flags.orchestration,
  }
  return {options, userOverrides: userOverrides(flags, command)}
}

function milvusEndpoint(flags: VectordbFlags, config: {host?: string; port?: number; uri?: string}): VectordbRunOptions['milvus'] {
  const uri = flags.uri ?? (flags.host || flags.port ? undefined : config.uri)
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
  return {host: flags.host ?? config.host ?? '127.0.0.1', port: flags.port ?? config.port ?? 19530}
}

import type {VectordbRunOptions} from '@mlps/run-options'

export const LOAD_SCRIPT = 'load-vdb'
export const QUERY_SCRIPT = 'vdbbench'

export interface ScriptLocation {
  /** argv put before the script, e.g. ['uv', 'run'] */
  prefix: readonly string[]
  /** the folder holding the scripts, when not on PATH */
  binDir?: string
  configFile?: string
}

function script(name: string, location: ScriptLocation): string[] {
  return [...location.prefix, location.binDir ? `${location.binDir.replace(/\/$/, '')}/${name}` : name]
}

function common(options: VectordbRunOptions, location: ScriptLocation): string[] {
  const configFile = options.vdbConfig ?? location.configFile
  return [
    ...(configFile ? ['--config', configFile] : []),
    '--host', options.milvus.host, '--port', String(options.milvus.port),
    '--collection-name', options.collection,
  ]
}

/** The index-build parameters load-vdb takes for each index type (engines.md §4.3). */
function indexArgs(options: VectordbRunOptions): string[] {
  const p = options.indexParams
  switch (options.indexType) {
    case 'DISKANN': return ['--max-degree', String(p.maxDegree), '--search-list-size', String(p.searchListSize)]
    case 'AISAQ': return ['--max-degree', String(p.maxDegree), '--search-list-size', String(p.searchListSize), '--inline-pq', String(p.inlinePq)]
    case 'HNSW': return ['--M', String(p.M), '--ef-construction', String(p.efConstruction)]
    default: return []
  }
}

/**
 * `load-vdb`: create the collection and its index, insert the vectors, flush,
 * wait for the index build, then compact and wait for it (--compact), as
 * mlpstorage v3.0 runs it. Every value is passed explicitly, so the YAML (if
 * any) cannot silently win over a flag.
 */
export function loadArgv(options: VectordbRunOptions, location: ScriptLocation): string[] {
  return [
    ...script(LOAD_SCRIPT, location), ...common(options, location),
    '--dimension', String(options.dimension), '--num-shards', String(options.numShards), '--vector-dtype', options.vectorDtype,
    '--num-vectors', String(options.numVectors), '--distribution', options.distribution,
    '--batch-size', String(options.loadBatchSize), '--chunk-size', String(options.chunkSize),
    '--index-type', options.indexType, '--metric-type', options.metricType, ...indexArgs(options),
    '--monitor-interval', String(options.monitorInterval),
    ...(options.compact ? ['--compact'] : []),
    ...(options.force ? ['--force'] : []),
  ]
}

/** `vdbbench` (simple_bench.py): the timed query run, its outputs in `outputDir` (engines.md §4.3, the real v3.0 command). */
export function queryArgv(options: VectordbRunOptions, location: ScriptLocation, outputDir: string): string[] {
  return [
    ...script(QUERY_SCRIPT, location), ...common(options, location),
    '--processes', String(options.processes), '--batch-size', String(options.queryBatchSize),
    ...(options.queries === undefined ? ['--runtime', String(options.runtime ?? 60)] : ['--queries', String(options.queries)]),
    '--report-count', String(options.reportCount), '--output-dir', outputDir,
    '--vector-dim', String(options.dimension), '--search-limit', String(options.searchLimit), '--search-ef', String(options.searchEf),
    '--num-query-vectors', String(options.numQueryVectors), '--recall-k', String(options.recallK),
    '--gt-collection', options.gtCollection, '--seed', String(options.seed),
    '--json-output',
  ]
}

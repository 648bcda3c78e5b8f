import {relative} from 'node:path'
import {type VectordbRunOptions, VectordbRunOptionsSchema} from '@mlps/run-options'
import {type CheckResult, type EnginePlan, type EngineResult, ExitCode, MlpsError, type PreflightCheck, type RunContext} from 'mlps'
import {formatBytes, formatCount, formatDuration} from 'mlps/unstable'
import type {BenchmarkHandler} from '../benchmark-handler.js'
import {nativeRunCheck} from '../native-check.js'
import {NATIVE_INDEX_TYPES, type NativeVectordbOptions, NativeVectordbOptionsSchema} from './vectordb-options.js'

const INDEX_HELP = `the native vector store builds ${NATIVE_INDEX_TYPES.join(', ')}; DISKANN, AISAQ and IVF_SQ8 need Milvus (--engine vdbbench)`

function readOptions(ctx: RunContext<VectordbRunOptions>): NativeVectordbOptions {
  const parsed = NativeVectordbOptionsSchema.safeParse(ctx.options)
  if (!parsed.success) {
    const problem = parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')
    throw new MlpsError(`the vectordb options do not suit the native engine: ${problem}`, {where: '--engine native', fix: 'pass the missing flags (see `mlps vectordb run --help`)'})
  }
  return parsed.data
}

const vectordbCheck = (id: string, title: string, commands: readonly string[], run: (ctx: RunContext<VectordbRunOptions>, options: NativeVectordbOptions) => Promise<CheckResult>): PreflightCheck =>
  nativeRunCheck({id, title, benchmark: 'vectordb', commands, schema: VectordbRunOptionsSchema, run: ctx => run(ctx, readOptions(ctx))})

const indexTypeCheck = vectordbCheck('native.vectordb.indexType', 'the index type is one the native vector store builds', ['datagen', 'run'], async (_ctx, options) =>
  (NATIVE_INDEX_TYPES as readonly string[]).includes(options.indexType)
    ? {status: 'ok', detail: `index ${options.indexType}`}
    : {status: 'fail', kind: 'input', detail: `index ${options.indexType}: ${INDEX_HELP}`, fix: `pass --index-type ${NATIVE_INDEX_TYPES.join('|')}`})

/** Evaluable anywhere: whether the embedded store's native module loads on this machine. */
const storeCheck: PreflightCheck = {
  id: 'native.vectordb.store', title: 'the embedded vector store (@lancedb/lancedb) loads', runsOn: 'controller', engine: 'native', benchmark: 'vectordb',
  async run() {
    try {
      const {loadLance} = await import('./lance-store.js')
      await loadLance()
    } catch (error) {
      return {status: 'fail', detail: `the embedded vector store (@lancedb/lancedb) does not load: ${(error as Error).message}`,
        fix: 'reinstall mlps (npm ci); @lancedb/lancedb ships prebuilt binaries for linux x64/arm64 (glibc, musl), macOS arm64 and Windows'}
    }
    return {status: 'ok', detail: '@lancedb/lancedb loads'}
  },
}

const collectionCheck = vectordbCheck('native.vectordb.collection', 'the collection the run queries was generated with its parameters', ['run'], async (_ctx, options) => {
  if (!(NATIVE_INDEX_TYPES as readonly string[]).includes(options.indexType)) return {status: 'skip', detail: `not evaluable: the native store holds no ${options.indexType} collection`}
  const {readStoreManifest} = await import('./store-manifest.js')
  const manifest = await readStoreManifest(options.dataDir, options.collection)
  if (!manifest) {
    return {status: 'fail', detail: `collection ${options.collection} has not been generated in ${options.dataDir}`,
      fix: `run \`mlps vectordb datagen --engine native --data-dir ${options.dataDir}\` with the same --collection, --num-vectors, --dimension, --index-type and --metric-type first`}
  }
  const mismatches = ([['numVectors', '--num-vectors'], ['dimension', '--dimension'], ['indexType', '--index-type'], ['metricType', '--metric-type'], ['distribution', '--distribution']] as const)
    .filter(([key]) => manifest[key] !== options[key])
    .map(([key, flag]) => `${flag} ${options[key]} but the collection has ${manifest[key]}`)
  if (mismatches.length > 0) {
    return {status: 'fail', kind: 'input', detail: `collection ${options.collection} does not match the run: ${mismatches.join('; ')}`, fix: 'run with the values datagen used, or run datagen again with --force'}
  }
  return {status: 'ok', detail: `collection ${options.collection} in ${options.dataDir} matches the run`}
})

const recallKCheck = vectordbCheck('native.vectordb.recallK', 'the recall counts no more results than a query asks for', ['run'], async (_ctx, options) =>
  options.recallK > options.searchLimit
    ? {status: 'fail', kind: 'input', detail: `--recall-k ${options.recallK} is larger than --search-limit ${options.searchLimit}`, fix: 'ask for at least as many results as the recall counts'}
    : {status: 'ok', detail: `--recall-k ${options.recallK} ≤ --search-limit ${options.searchLimit}`})

async function plan(ctx: RunContext<VectordbRunOptions>): Promise<EnginePlan> {
  const options = readOptions(ctx)
  if (ctx.command === 'datagen') {
    const {plannedStoreBytes} = await import('./store-datagen.js')
    return {
      engine: 'native',
      summary: `generate ${formatCount(options.numVectors)} ${options.distribution} vectors of dimension ${options.dimension} into the embedded store at ${options.dataDir}/${options.collection}.lance (batches of ${formatCount(options.loadBatchSize)}), then build a ${options.indexType} index (${options.metricType}); about ${formatBytes(plannedStoreBytes(options))} on disk`,
      details: {dataDir: options.dataDir, collection: options.collection, numVectors: options.numVectors, dimension: options.dimension, indexType: options.indexType, metricType: options.metricType},
    }
  }
  const end = options.queries ? `${formatCount(options.queries)} queries` : `${options.runtime ?? 60} s`
  return {
    engine: 'native',
    summary: `exact ground truth for ${formatCount(options.numQueryVectors)} queries (untimed), then ${options.processes} concurrent client${options.processes > 1 ? 's' : ''} query ${options.collection} (top ${options.searchLimit}, batches of ${options.queryBatchSize}) for ${end}; recall@${options.recallK} against the exact search`,
    details: {dataDir: options.dataDir, collection: options.collection, processes: options.processes, batchSize: options.queryBatchSize, runtime: options.runtime, queries: options.queries, recallK: options.recallK},
  }
}

async function executeDatagen(ctx: RunContext, options: NativeVectordbOptions): Promise<EngineResult> {
  const {generateVectorStore} = await import('./store-datagen.js')
  const {dropGroundTruthCache} = await import('./ground-truth.js')
  const {writeJsonAtomic} = await import('mlps/unstable')
  ctx.progress.stage(`Loading ${formatCount(options.numVectors)} vectors into ${options.collection}`)
  await dropGroundTruthCache(options.dataDir, options.collection)
  const result = await generateVectorStore(options, ctx.signal, p => {
    if (p.phase === 'index') ctx.progress.stage(`Building the ${options.indexType} index`)
    else ctx.progress.update({done: p.vectorsDone, total: p.vectorsTotal, unit: 'items'})
  }).catch(error => {
    if (/ENOSPC|not enough free space/.test(String((error as Error).message))) {
      throw new MlpsError((error as Error).message, {where: options.dataDir, exitCode: ExitCode.RunFailed, fix: 'free space or pick another --data-dir'})
    }
    throw error
  })
  const {manifest} = result
  ctx.progress.done(`loaded ${formatCount(manifest.numVectors)} vectors in ${formatDuration(manifest.loadSeconds)}, built ${manifest.indexType} in ${formatDuration(manifest.indexBuildSeconds)}, ${formatBytes(manifest.bytesOnDisk)} on disk`)
  const summary = {
    engine: 'native', store: manifest.store, collection: manifest.collection, num_vectors: options.numVectors, inserted_vectors: result.insertedVectors,
    dimension: manifest.dimension, distribution: manifest.distribution, index_type: manifest.indexType, store_index: manifest.lanceIndex, metric_type: manifest.metricType,
    load_seconds: manifest.loadSeconds, index_build_seconds: manifest.indexBuildSeconds, bytes_on_disk: manifest.bytesOnDisk,
  }
  await writeJsonAtomic(`${ctx.leaf}/summary.json`, summary)
  return {
    status: 'COMPLETED',
    version: `@lancedb/lancedb ${manifest.store.version}`,
    metrics: {
      inserted_vectors: result.insertedVectors, num_vectors: options.numVectors, dimension: manifest.dimension, load_seconds: manifest.loadSeconds,
      vectors_per_second: result.insertedVectors / manifest.loadSeconds, index_build_seconds: manifest.indexBuildSeconds, bytes_on_disk: manifest.bytesOnDisk,
    },
    artifacts: ['summary.json'],
    extra: {vectordb: {store: manifest, tableFolder: result.tableFolder, manifestFile: result.manifestFile}},
  }
}

async function executeRun(ctx: RunContext, options: NativeVectordbOptions): Promise<EngineResult> {
  const {readStoreManifest} = await import('./store-manifest.js')
  const {runVectorQueries} = await import('./query-run.js')
  const manifest = await readStoreManifest(options.dataDir, options.collection)
  if (!manifest) throw new MlpsError(`collection ${options.collection} is gone from ${options.dataDir}`, {exitCode: ExitCode.EnvironmentNotReady, fix: 'run `mlps vectordb datagen` again'})
  const total = options.queries
  const result = await runVectorQueries({
    options, manifest, leaf: ctx.leaf!, signal: ctx.signal,
    onStage: stage => ctx.progress.stage(stage),
    onProgress: (queries, seconds) => {
      // queries/s since the run started, as statistics.json will report it
      const figures = [{value: queries / Math.max(seconds, 1e-3), unit: 'queries/s'}]
      ctx.progress.update(total
        ? {done: queries, total, unit: 'items', figures}
        : {done: Math.min(seconds, options.runtime ?? 60), total: options.runtime ?? 60, unit: 'items', figures, fields: {queries: formatCount(queries)}})
    },
  })
  const s = result.statistics as Record<string, number> & {recall: {recall_at_k: number; k: number; num_queries_evaluated: number}}
  ctx.progress.done(`${formatCount(s.total_queries)} queries, ${s.throughput_qps.toFixed(1)} QPS, p99 ${s.p99_latency_ms.toFixed(2)} ms, recall@${s.recall.k} ${s.recall.recall_at_k.toFixed(4)}`)
  return {
    status: 'COMPLETED',
    version: `@lancedb/lancedb ${manifest.store.version}`,
    metrics: {
      throughput_qps: s.throughput_qps, total_queries: s.total_queries, total_time_seconds: s.total_time_seconds,
      mean_latency_ms: s.mean_latency_ms, p50_latency_ms: s.median_latency_ms, p95_latency_ms: s.p95_latency_ms, p99_latency_ms: s.p99_latency_ms,
      p999_latency_ms: s.p999_latency_ms, max_latency_ms: s.max_latency_ms,
      recall_at_k: s.recall.recall_at_k, recall_k: s.recall.k, recall_queries: s.recall.num_queries_evaluated, ground_truth_complete: true,
      num_vectors: manifest.numVectors, dimension: manifest.dimension, index_build_seconds: manifest.indexBuildSeconds, load_seconds: manifest.loadSeconds,
      bytes_on_disk: result.bytesOnDisk,
    },
    artifacts: result.files.map(file => relative(ctx.leaf!, file)),
    extra: {vectordb: {store: manifest, groundTruth: result.groundTruth, untimedRecallQueries: result.untimedRecallQueries, verdict: result.verdict}},
  }
}

/** The native engine's vector-database path: an embedded on-disk vector store (LanceDB). */
export const vectordbHandler: BenchmarkHandler<VectordbRunOptions> = {
  commands: ['datagen', 'run'],
  runOptionsSchema: VectordbRunOptionsSchema,
  checks: [indexTypeCheck, storeCheck, collectionCheck, recallKCheck],
  plan,
  execute: async ctx => {
    const options = readOptions(ctx)
    return ctx.command === 'datagen' ? executeDatagen(ctx, options) : executeRun(ctx, options)
  },
}

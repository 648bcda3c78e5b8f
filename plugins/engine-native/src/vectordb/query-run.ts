import {join} from 'node:path'
import {writeFileAtomic, writeJsonAtomic} from 'mlps/unstable'
import {startModuleWorker} from '../io/module-worker.js'
import {ThreadGroup} from '../training/thread-group.js'
import {exactGroundTruth} from './ground-truth.js'
import {bytesOnDisk, connectStore, type SearchParams, searchBatch, tableFolder} from './lance-store.js'
import type {BatchRow, ClientMessage, ClientTask} from './query-protocol.js'
import {queryStatistics, recallStatistics} from './query-statistics.js'
import type {StoreManifest} from './store-manifest.js'
import {VectorSource} from './vector-source.js'
import type {NativeIndexType, NativeVectordbOptions} from './vectordb-options.js'

export interface QueryRunResult {
  statistics: Record<string, unknown>
  summary: Record<string, unknown>
  verdict: {result: string; valid: boolean; num_queries_evaluated: number}
  groundTruth: {seconds: number; cached: boolean}
  /** queries whose results the timed loop did not reach, answered after it for the recall only */
  untimedRecallQueries: number
  bytesOnDisk: number
  files: string[]
}

/**
 * The native query run: exact ground truth first (untimed), then N client
 * threads query the on-disk index together for `runtime` seconds or `queries`
 * queries, then recall@k of what they returned against the exact answer.
 * Writes vdbbench-shaped files into the leaf (engines.md §4.4).
 */
export async function runVectorQueries(input: {
  options: NativeVectordbOptions; manifest: StoreManifest; leaf: string; signal: AbortSignal
  onStage(stage: string): void
  onProgress(queries: number, elapsedSeconds: number): void
}): Promise<QueryRunResult> {
  const {options, manifest, leaf, signal} = input
  const {dimension} = manifest
  const k = options.recallK
  const querySeed = options.seed
  const queries = VectorSource.forQueries(querySeed, manifest.distribution, dimension).next(options.numQueryVectors)
  input.onStage(`Exact search for ${options.numQueryVectors} queries (ground truth, untimed)`)
  const truth = await exactGroundTruth({dataDir: options.dataDir, manifest, metricType: manifest.metricType, k, queries, querySeed, signal})

  const search: SearchParams = {indexType: manifest.indexType as NativeIndexType, metricType: manifest.metricType, limit: options.searchLimit, nprobe: options.nprobe, ef: options.searchEf}
  const sharedQueries = new SharedArrayBuffer(queries.byteLength)
  new Float32Array(sharedQueries).set(queries)
  const counter = new SharedArrayBuffer(4)
  const tasks: ClientTask[] = Array.from({length: options.processes}, (_, clientId) => ({
    clientId, dataDir: options.dataDir, collection: manifest.collection, dimension, search,
    queries: sharedQueries, numQueries: options.numQueryVectors, counter, batchSize: options.queryBatchSize,
    budget: options.queries ?? Number.MAX_SAFE_INTEGER, reportEveryMs: 500,
  }))
  const workers = tasks.map(task => startModuleWorker(import.meta.url, 'query-client-worker', {workerData: task}))
  const group = new ThreadGroup<ClientMessage>(workers, i => `query client ${i}`)
  const progress = new Array<number>(workers.length).fill(0)
  let startedAt = 0
  workers.forEach((worker, i) => worker.on('message', (message: ClientMessage) => {
    if (message.type !== 'progress') return
    progress[i] = message.queries
    input.onProgress(progress.reduce((a, b) => a + b, 0), (Date.now() - startedAt) / 1000)
  }))
  const onAbort = () => group.fail(new Error('query run was aborted'))
  signal.addEventListener('abort', onAbort, {once: true})
  let done: Extract<ClientMessage, {type: 'done'}>[]
  try {
    await group.collect('ready')
    input.onStage(`Querying with ${options.processes} client${options.processes > 1 ? 's' : ''} ${options.queries ? `for ${options.queries} queries` : `for ${options.runtime} s`}`)
    startedAt = Date.now()
    const deadline = options.queries ? null : startedAt + (options.runtime ?? 60) * 1000
    for (const worker of workers) worker.postMessage({type: 'start', deadline})
    done = await group.collect('done')
  } finally {
    signal.removeEventListener('abort', onAbort)
    await group.terminate()
  }

  const rows: BatchRow[] = done.flatMap(message => message.rows)
  const returned = new Map<number, number[]>()
  for (const message of done) for (const [q, ids] of message.hits) if (!returned.has(q)) returned.set(q, ids)
  const missing = Array.from({length: options.numQueryVectors}, (_, q) => q).filter(q => !returned.has(q))
  if (missing.length > 0) await answerUntimed(options, manifest, search, queries, missing, returned)
  const recall = recallStatistics(Array.from({length: options.numQueryVectors}, (_, q) => returned.get(q)!), truth.ids, k)
  const timed = queryStatistics(rows)
  const verdict = recall.recall_at_k > 0
    ? {result: 'valid', valid: true, num_queries_evaluated: recall.num_queries_evaluated}
    : {result: 'invalid: recall is 0', valid: false, num_queries_evaluated: recall.num_queries_evaluated}
  const statistics = {...timed, recall: {...recall, recall_epsilon: 0}}
  const {per_query_recall: _perQuery, ...recallSummary} = recall
  const summary = {...timed, mean_recall: recall.mean_recall, recall_k: k, engine: 'native', store: manifest.store}
  const files: string[] = []
  const write = async (name: string, content: string | object) => {
    const file = join(leaf, name)
    await (typeof content === 'string' ? writeFileAtomic(file, content) : writeJsonAtomic(file, content))
    files.push(file)
  }
  await write('config.json', {...options, store: manifest})
  for (const task of tasks) {
    const own = rows.filter(row => row.processId === task.clientId)
    await write(`vdb_benchmark_p${task.clientId}.csv`, batchCsv(own))
  }
  await write('recall_hits.jsonl', [...returned].sort((a, b) => a[0] - b[0]).map(([q, ids]) => JSON.stringify({q, ids})).join('\n') + '\n')
  await write('statistics.json', statistics)
  await write('recall_stats.json', recallSummary)
  await write('result_verdict.json', {...verdict, recall_summary: recallSummary, ground_truth: {method: 'exact brute-force search over the stored vectors', cached: truth.cached}})
  await write('summary.json', summary)
  return {
    statistics, summary, verdict, groundTruth: {seconds: truth.seconds, cached: truth.cached}, untimedRecallQueries: missing.length,
    bytesOnDisk: await bytesOnDisk(tableFolder(options.dataDir, manifest.collection)), files,
  }
}

async function answerUntimed(options: NativeVectordbOptions, manifest: StoreManifest, search: SearchParams, queries: Float32Array, missing: number[], into: Map<number, number[]>): Promise<void> {
  const db = await connectStore(options.dataDir)
  const table = await db.openTable(manifest.collection)
  try {
    for (const q of missing) {
      const [ids] = await searchBatch(table, queries.subarray(q * manifest.dimension, (q + 1) * manifest.dimension), manifest.dimension, search)
      into.set(q, ids)
    }
  } finally {
    table.close()
    db.close()
  }
}

function batchCsv(rows: readonly BatchRow[]): string {
  const lines = ['process_id,batch_id,timestamp,batch_size,batch_time_seconds,avg_query_time_seconds,success']
  for (const row of rows) {
    lines.push([row.processId, row.batchId, row.timestamp.toFixed(6), row.batchSize, row.batchTimeSeconds.toFixed(9), (row.batchTimeSeconds / row.batchSize).toFixed(9), 'True'].join(','))
  }
  return lines.join('\n') + '\n'
}

import {createHash} from 'node:crypto'
import {readFile, readdir, rm} from 'node:fs/promises'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'
import {writeJsonAtomic} from 'mlps/unstable'
import {startModuleWorker} from '../io/module-worker.js'
import {ThreadGroup} from '../training/thread-group.js'
import type {StoreManifest} from './store-manifest.js'
import type {MetricType} from './vectordb-options.js'

export interface GroundTruthTask {
  dataDir: string
  collection: string
  dimension: number
  metricType: MetricType
  k: number
  /** row-major query vectors, shared with every thread */
  queries: SharedArrayBuffer
  from: number
  to: number
}

export interface GroundTruth {
  /** ids of the exact k nearest stored vectors, nearest first, one list per query */
  ids: number[][]
  seconds: number
  cached: boolean
  file: string
}

function cacheFile(dataDir: string, manifest: StoreManifest, metricType: MetricType, k: number, querySeed: number, numQueries: number): string {
  const key = createHash('sha256').update(JSON.stringify([manifest.createdAt, manifest.numVectors, metricType, k, querySeed, numQueries])).digest('hex').slice(0, 16)
  return join(dataDir, `${manifest.collection}.gt-${key}.json`)
}

/** Forget every cached ground truth of a collection (datagen rewrote it). */
export async function dropGroundTruthCache(dataDir: string, collection: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dataDir)
  } catch {
    return
  }
  await Promise.all(names.filter(name => name.startsWith(`${collection}.gt-`) && name.endsWith('.json')).map(name => rm(join(dataDir, name), {force: true})))
}

/**
 * The exact k nearest neighbours of every query, by brute force over the
 * stored vectors as read back from the store (not from the generator), on
 * every CPU; computed outside the timed loop and cached per collection build,
 * like vdbbench's FLAT ground-truth collection (engines.md §4.4).
 */
export async function exactGroundTruth(input: {
  dataDir: string; manifest: StoreManifest; metricType: MetricType; k: number; queries: Float32Array; querySeed: number; signal: AbortSignal
}): Promise<GroundTruth> {
  const {dataDir, manifest, metricType, k, queries, signal} = input
  const numQueries = queries.length / manifest.dimension
  const file = cacheFile(dataDir, manifest, metricType, k, input.querySeed, numQueries)
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as {ids: number[][]}
    if (cached.ids.length === numQueries) return {ids: cached.ids, seconds: 0, cached: true, file}
  } catch {}
  const start = performance.now()
  const shared = new SharedArrayBuffer(queries.byteLength)
  new Float32Array(shared).set(queries)
  const threads = Math.max(1, Math.min(availableParallelism(), numQueries))
  const tasks: GroundTruthTask[] = Array.from({length: threads}, (_, t) => ({
    dataDir, collection: manifest.collection, dimension: manifest.dimension, metricType, k, queries: shared,
    from: Math.floor(t * numQueries / threads), to: Math.floor((t + 1) * numQueries / threads),
  }))
  const workers = tasks.map(task => startModuleWorker(import.meta.url, 'ground-truth-worker', {workerData: task}))
  const group = new ThreadGroup<{type: 'done'; ids: number[][]}>(workers, i => `exact-search thread ${i}`)
  const onAbort = () => group.fail(new Error('exact search was aborted'))
  signal.addEventListener('abort', onAbort, {once: true})
  try {
    const ids = (await group.collect('done')).flatMap(message => message.ids)
    await writeJsonAtomic(file, {collection: manifest.collection, metricType, k, numQueries, ids})
    return {ids, seconds: (performance.now() - start) / 1000, cached: false, file}
  } finally {
    signal.removeEventListener('abort', onAbort)
    await group.terminate()
  }
}

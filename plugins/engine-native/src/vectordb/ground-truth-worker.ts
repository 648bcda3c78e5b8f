import {parentPort, workerData} from 'node:worker_threads'
import {dotProduct, TopK} from './distance.js'
import {connectStore, scanVectors} from './lance-store.js'
import type {GroundTruthTask} from './ground-truth.js'

/**
 * One thread of the exact search: every stored vector against its slice of
 * the queries, ranked as Milvus and Lance rank them (smaller is closer):
 * L2 the squared distance, IP the negated inner product, COSINE 1 − cosine.
 */
const task = workerData as GroundTruthTask
const {dimension, metricType, k, from, to} = task
const queries = Float64Array.from(new Float32Array(task.queries).subarray(from * dimension, to * dimension))
const count = to - from
const queryNorms = Float64Array.from({length: count}, (_, q) => Math.sqrt(dotProduct(queries, q * dimension, queries, q * dimension, dimension)))
const best = Array.from({length: count}, () => new TopK(k))
const db = await connectStore(task.dataDir)
const table = await db.openTable(task.collection)
for await (const batch of scanVectors(table, dimension)) {
  const vectors = Float64Array.from(batch.vectors)
  for (let row = 0; row < batch.ids.length; row++) {
    const r = row * dimension
    const id = batch.ids[row]
    const rowNormSquared = metricType === 'IP' ? 0 : dotProduct(vectors, r, vectors, r, dimension)
    for (let q = 0; q < count; q++) {
      const dot = dotProduct(queries, q * dimension, vectors, r, dimension)
      const dist = metricType === 'L2'
        ? queryNorms[q] * queryNorms[q] - 2 * dot + rowNormSquared
        : metricType === 'IP' ? -dot : (rowNormSquared === 0 || queryNorms[q] === 0 ? 1 : 1 - dot / (queryNorms[q] * Math.sqrt(rowNormSquared)))
      best[q].offer(dist, id)
    }
  }
}
table.close()
db.close()
parentPort!.postMessage({type: 'done', ids: best.map(top => top.result())})
// stay alive until the coordinator has read the answer and terminates the thread: exiting now could race the message
parentPort!.on('message', () => {})

import {parentPort, workerData} from 'node:worker_threads'
import {connectStore, searchBatch} from './lance-store.js'
import type {BatchRow, ClientMessage, ClientTask, CoordinatorMessage} from './query-protocol.js'

/**
 * One query client: its own connection and table handle, batches of queries
 * taken from a counter shared by all clients until the deadline or the query
 * budget, every batch timed on its own. Like vdbbench's query processes.
 */
const task = workerData as ClientTask
const post = (message: ClientMessage) => parentPort!.postMessage(message)
const queries = new Float32Array(task.queries)
const next = new Int32Array(task.counter)
const {dimension, numQueries, batchSize} = task
const db = await connectStore(task.dataDir)
const table = await db.openTable(task.collection)
const begun = new Promise<CoordinatorMessage>(resolve => parentPort!.once('message', resolve))
post({type: 'ready'})
const {deadline} = await begun

const rows: BatchRow[] = []
const hits = new Map<number, number[]>()
const batch = new Float32Array(batchSize * dimension)
let lastReport = performance.now()
let done = 0
for (let batchId = 0; ; batchId++) {
  if (deadline !== null && Date.now() >= deadline) break
  const first = Atomics.add(next, 0, batchSize)
  const count = Math.min(batchSize, task.budget - first)
  if (count <= 0) break
  for (let j = 0; j < count; j++) {
    const q = (first + j) % numQueries
    batch.set(queries.subarray(q * dimension, (q + 1) * dimension), j * dimension)
  }
  const timestamp = (performance.timeOrigin + performance.now()) / 1000
  const started = performance.now()
  const result = await searchBatch(table, batch.subarray(0, count * dimension), dimension, task.search)
  const seconds = (performance.now() - started) / 1000
  rows.push({processId: task.clientId, batchId, timestamp, batchSize: count, batchTimeSeconds: seconds})
  for (let j = 0; j < count; j++) {
    const q = (first + j) % numQueries
    if (!hits.has(q)) hits.set(q, result[j])
  }
  done += count
  if (performance.now() - lastReport >= task.reportEveryMs) {
    post({type: 'progress', queries: done})
    lastReport = performance.now()
  }
}
table.close()
db.close()
post({type: 'done', rows, hits: [...hits]})
// stay alive until the coordinator has read the answer and terminates the thread: exiting now could race the message
parentPort!.on('message', () => {})

import type {SearchParams} from './lance-store.js'

/** What the query run hands each client thread. */
export interface ClientTask {
  clientId: number
  dataDir: string
  collection: string
  dimension: number
  search: SearchParams
  /** the query set, row-major float32, shared by every client */
  queries: SharedArrayBuffer
  numQueries: number
  /** one int32: the next query number; clients take batches from it with Atomics.add */
  counter: SharedArrayBuffer
  batchSize: number
  /** total queries across clients (Number.MAX_SAFE_INTEGER for a timed run) */
  budget: number
  reportEveryMs: number
}

/** One timed batch, as vdbbench's milvus_benchmark_p<k>.csv has it (engines.md §4.4). */
export interface BatchRow {
  processId: number
  batchId: number
  /** epoch seconds when the batch was sent */
  timestamp: number
  batchSize: number
  batchTimeSeconds: number
}

/** sent once every client is ready, so they all start together */
export interface CoordinatorMessage {
  type: 'start'
  /** epoch ms when a timed run ends; null for a query-count run */
  deadline: number | null
}

export type ClientMessage =
  | {type: 'ready'}
  | {type: 'progress'; queries: number}
  | {type: 'done'; rows: BatchRow[]; hits: Array<[number, number[]]>}

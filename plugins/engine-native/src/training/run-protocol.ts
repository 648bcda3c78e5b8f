import type {DlioTrainingWorkload} from '../workload.js'
import type {ObjectTarget} from '../s3/object-target.js'
import type {SharedPathTable} from './shared-paths.js'

/**
 * Shared-memory layout between one accelerator thread and its reader
 * threads: `CONSUMED` counts batches the accelerator has taken this epoch;
 * slot `READY_BASE + b % depth` holds b+1 once batch b is fully read.
 */
export const CONSUMED = 0
export const READY_BASE = 1

/** Per-rank live counters the coordinator polls for progress (Float64Array). */
export const PROGRESS_STEPS = 0
/** Σ compute of steps ≥ 1 (the AU window, engines.md §2.7) */
export const PROGRESS_COMPUTE = 1
/** proc of step 0, excluded from the AU window */
export const PROGRESS_FIRST_PROC = 2
export const PROGRESS_BLOCK_START = 3
export const PROGRESS_FIELDS = 4

/** Bytes of each reader's reused read buffer. */
export const READ_SCRATCH_BYTES = 4 << 20

export interface AcceleratorWorkerData {
  rank: number
  ranks: number
  control: SharedArrayBuffer
  channel: SharedArrayBuffer
  progress: SharedArrayBuffer
  depth: number
}

export interface ReaderWorkerData {
  workload: DlioTrainingWorkload
  readerIndex: number
  readThreads: number
  depth: number
  control: SharedArrayBuffer
  channel: SharedArrayBuffer
  /** set when the data is in a bucket: the epoch's paths are then object keys */
  target?: ObjectTarget
}

export interface AcceleratorEpochMessage {
  type: 'epoch'
  epoch: number
  steps: number
  computationTime: number
}

export interface ReaderEpochMessage {
  type: 'epoch'
  steps: number
  batchSize: number
  /** the run's sorted file list, the same every epoch (sent with the epoch: the threads start before the dataset is listed) */
  paths: SharedPathTable
  /** Int32Array over this rank's samples in read order */
  files: SharedArrayBuffer
  samples: SharedArrayBuffer
}

/** One rank's block (= epoch here) as DLIO's statscounter records it. */
export interface RankEpochTimings {
  rank: number
  epoch: number
  load: Float64Array
  proc: Float64Array
  compute: Float64Array
  /** monotonic seconds at start_block / end_block */
  blockStart: number
  blockEnd: number
  /** wall-clock milliseconds (µs resolution) at the same instants, for DLIO's timestamps */
  blockStartWallMs: number
  blockEndWallMs: number
}

export type AcceleratorMessage =
  | {type: 'ready'}
  | ({type: 'epochDone'} & RankEpochTimings)
  | {type: 'aborted'}

export type ReaderMessage = {type: 'ready'} | {type: 'epochDone'; bytes: number}

import type {DlioTrainingWorkload} from '../workload.js'

/** Reused per-worker buffer for random content; big enough for any JPEG segment. */
export const DATAGEN_SCRATCH_BYTES = 4 << 20
export const PARTIAL_SUFFIX = '.partial'

export function partialPath(target: string): string {
  return target + PARTIAL_SUFFIX
}

export interface DatagenWorkerData {
  workload: DlioTrainingWorkload
  dataFolder: string
  /** Int32Array of the generation indices still to write */
  pending: SharedArrayBuffer
  /** Int32Array[1]: next slot of `pending` to claim */
  nextPending: SharedArrayBuffer
}

export type DatagenWorkerMessage = {type: 'file'; index: number; bytes: number} | {type: 'idle'}

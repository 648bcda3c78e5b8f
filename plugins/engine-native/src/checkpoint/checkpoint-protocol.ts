/** Messages between the checkpoint coordinator and its rank threads. */
import type {ObjectTarget} from '../s3/object-target.js'

export interface ShardFile {
  /** path under `global_epoch<e>_step<s>/` */
  name: string
  bytes: number
}

export interface RankWorkerData {
  rank: number
  ranks: number
  folder: string
  files: ShardFile[]
  fsync: boolean
  /** the bucket and prefix, when `folder` is an s3:// URI */
  target?: ObjectTarget
  control: SharedArrayBuffer
  /** Float64Array[1]: bytes this rank has written or read so far, for progress */
  progress: SharedArrayBuffer
}

export type CheckpointPhase = 'save' | 'load'

export interface PhaseMessage {
  type: 'phase'
  phase: CheckpointPhase
  /** the first checkpoint's number (1-based): the phase runs checkpoints first..first+count-1 */
  first: number
  count: number
  /** DLIO's time_between_checkpoints: the emulated training before each checkpoint */
  timeBetweenCheckpoints: number
}

export type RankMessage =
  | {type: 'ready'}
  | {type: 'started'; phase: CheckpointPhase; index: number}
  | {type: 'checkpoint'; phase: CheckpointPhase; index: number; rank: number; startWallMs: number; endWallMs: number; bytes: number}
  | {type: 'phaseDone'; phase: CheckpointPhase}
  | {type: 'aborted'}

/** The checkpoint's folder: DLIO's `global_epoch{epoch}_step{step}`; a checkpoint-only run is epoch 1, step n. */
export function checkpointId(index: number, epoch = 1): string {
  return `global_epoch${epoch}_step${index}`
}

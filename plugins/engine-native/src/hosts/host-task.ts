import type {KvcacheRunOptions} from '@mlps/run-options'
import type {ShardFile} from '../checkpoint/checkpoint-protocol.js'
import type {HostObjectStorage} from '../s3/object-target.js'
import type {DlioTrainingWorkload} from '../workload.js'
import type {HostTrainingRun} from '../training/run.js'
import type {RankEpochTimings} from '../training/run-protocol.js'

/** What the controller asks of one host's worker. */
export type HostTask =
  | {kind: 'probe'}
  | {kind: 'training'; workload: DlioTrainingWorkload; accelerators: number; ranks: number[]; totalRanks: number; dropCachesBeforeEpoch: boolean; objectStorage?: HostObjectStorage}
  /** this host's ranks write their files (rank r of P: r, r + P, ...), with `writers` threads */
  | {kind: 'datagen'; workload: DlioTrainingWorkload; ranks: number[]; totalRanks: number; writers: number; objectStorage?: HostObjectStorage}
  | {
    kind: 'checkpointing'; folder: string; ranks: number[]; files: ShardFile[][]; checkpointBytes: number; numCheckpointsWrite: number; numCheckpointsRead: number
    timeBetweenCheckpoints: number; fsync: boolean; clearCacheBetweenPhases: boolean; objectStorage?: HostObjectStorage
  }
  | {kind: 'kvcache'; plan: KvcacheRunOptions; ranks: number[]; cacheRoot: string}

type WireTimings = Omit<RankEpochTimings, 'load' | 'proc' | 'compute'> & {load: number[]; proc: number[]; compute: number[]}
export type WireTrainingRun = Omit<HostTrainingRun, 'epochs'> & {epochs: WireTimings[][]}

/** A host's training as JSON carries it (typed arrays as plain arrays). */
export function trainingToWire(run: HostTrainingRun): WireTrainingRun {
  return {...run, epochs: run.epochs.map(epochs => epochs.map(t => ({...t, load: Array.from(t.load), proc: Array.from(t.proc), compute: Array.from(t.compute)})))}
}

export function trainingFromWire(run: WireTrainingRun): HostTrainingRun {
  return {...run, epochs: run.epochs.map(epochs => epochs.map(t => ({...t, load: Float64Array.from(t.load), proc: Float64Array.from(t.proc), compute: Float64Array.from(t.compute)})))}
}

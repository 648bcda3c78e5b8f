import type {LoadedRun, RunFiles} from 'mlps'
import {type EpochStats, parsePerEpochStats} from './per-epoch-stats.js'

/** where a checkpointing run keeps rank 0's per-epoch stats among its documents, for the throughput bound */
export const CHECKPOINT_STATS_DOCUMENT = 'dlio.checkpointStats'

export interface CheckpointStatsDocument {
  /** as evidence names it */
  file: string
  epochs: EpochStats[]
}

/** rank 0's per-epoch stats, whose per-checkpoint figures DLIO's summary averages (engines.md) */
const RANK_ZERO_STATS = ['0_per_epoch_stats.json', 'per_epoch_stats.json']

/** Keep rank 0's checkpoint phases on the run; a file that does not parse is a problem naming it. */
export async function keepCheckpointStats(run: LoadedRun, files: RunFiles): Promise<void> {
  const file = RANK_ZERO_STATS.find(name => files.listed.includes(name))
  if (!file) return
  const text = await files.readText(file)
  if (text === undefined) return
  try {
    run.documents[CHECKPOINT_STATS_DOCUMENT] = {file: files.rel(file), epochs: parsePerEpochStats(text, files.rel(file))} satisfies CheckpointStatsDocument
  } catch (error) {
    files.problem(file, (error as Error).message)
  }
}

export function checkpointStatsOf(run: LoadedRun): CheckpointStatsDocument | undefined {
  return run.documents[CHECKPOINT_STATS_DOCUMENT] as CheckpointStatsDocument | undefined
}

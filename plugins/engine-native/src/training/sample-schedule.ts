import {randomInt} from 'node:crypto'

import {MersenneTwister} from '../random/mersenne-twister.js'

export type ShuffleMode = 'off' | 'seed' | 'random'

/** DLIO's `train.seed` default; with `seed_change_epoch` the seed of epoch e is seed + e (engines.md §1.5). */
export const DEFAULT_TRAIN_SEED = 123

function epochGenerator(mode: ShuffleMode, seed: number, epoch: number): MersenneTwister | undefined {
  if (mode === 'off') return undefined
  return new MersenneTwister(mode === 'seed' ? seed + epoch : randomInt(2 ** 32 - 1))
}

/** The epoch's file order: the sorted list, shuffled with `np.random.seed(seed + epoch); np.random.shuffle(...)`. */
export function epochFileOrder(fileCount: number, epoch: number, mode: ShuffleMode, seed: number): Int32Array {
  const order = Int32Array.from({length: fileCount}, (_, i) => i)
  epochGenerator(mode, seed, epoch)?.shuffle(order)
  return order
}

export interface RankSamples {
  /** index into the sorted file list, per sample in read order */
  files: Int32Array
  /** sample index inside that file */
  samples: Int32Array
}

/**
 * Rank `rank`'s samples for one epoch: the epoch's file order expanded to
 * samples, cut into `ranks` contiguous slices of ⌊total/ranks⌋ (DLIO's
 * sampler gives each rank a contiguous block; the floor keeps every rank's
 * slice long enough for the ⌊total/batch/ranks⌋ steps without reading
 * another rank's samples), then optionally shuffled within the slice.
 */
export function rankSamples(
  fileOrder: Int32Array,
  samplesPerFile: number,
  rank: number,
  ranks: number,
  sampleShuffle: ShuffleMode,
  seed: number,
  epoch: number,
): RankSamples {
  const perRank = Math.floor((fileOrder.length * samplesPerFile) / ranks)
  const first = rank * perRank
  const positions = Int32Array.from({length: perRank}, (_, k) => first + k)
  epochGenerator(sampleShuffle, seed, epoch)?.shuffle(positions)
  const files = new Int32Array(new SharedArrayBuffer(perRank * 4))
  const samples = new Int32Array(new SharedArrayBuffer(perRank * 4))
  positions.forEach((position, k) => {
    files[k] = fileOrder[Math.floor(position / samplesPerFile)]
    samples[k] = position % samplesPerFile
  })
  return {files, samples}
}

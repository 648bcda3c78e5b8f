import type {DlioDataset} from '../workload.js'
import {MersenneTwister} from '../random/mersenne-twister.js'

/** DLIO seeds its generators with `np.random.seed(10)` before drawing the dimensions (engines.md §1.5). */
const DLIO_GENERATION_SEED = 10

export interface FileDimensions {
  readonly dim1: Int32Array
  readonly dim2: Int32Array
}

/**
 * Per-file (dim1, dim2) exactly as DLIO's `DataGenerator.get_dimension`:
 * dimension = ⌊√record_length⌋, σ = stdev / 2 / √record_length, and with
 * σ > 0 the values `max(int(d), 1)` of `np.random.normal(dimension, σ, 2·files)`
 * (file i takes draws 2i and 2i+1). Files of the train set come first in
 * DLIO's list, so eval files never shift them. The numpy stream is reproduced
 * exactly, so a dataset DLIO generated has the sizes planned here.
 */
export function planFileDimensions(dataset: DlioDataset): FileDimensions {
  const files = dataset.num_files_train
  const recordLength = dataset.record_length_bytes
  const dimension = Math.floor(Math.sqrt(recordLength))
  const stdev = (dataset.record_length_bytes_stdev ?? 0) / 2 / Math.sqrt(recordLength)
  const dim1 = new Int32Array(files)
  const dim2 = new Int32Array(files)
  if (stdev > 0) {
    const generator = new MersenneTwister(DLIO_GENERATION_SEED)
    for (let i = 0; i < files; i++) {
      dim1[i] = Math.max(Math.trunc(generator.normal(dimension, stdev)), 1)
      dim2[i] = Math.max(Math.trunc(generator.normal(dimension, stdev)), 1)
    }
  } else {
    dim1.fill(dimension)
    dim2.fill(dimension)
  }
  return {dim1, dim2}
}

/** The dimension DLIO stores in each TFRecord example's `size` feature. */
export function nominalDimension(dataset: DlioDataset): number {
  return Math.floor(Math.sqrt(dataset.record_length_bytes))
}

import type {DlioDataset} from '../workload.js'
import type {DatasetFormat} from './dataset-format.js'

export const EMULATED_FORMATS = ['npz', 'tfrecord', 'jpeg', 'parquet'] as const

export class UnsupportedFormatError extends Error {
  override readonly name = 'UnsupportedFormatError'
}

/**
 * The emulation of the dataset's format. Each format's module (parquet pulls
 * in the parquet libraries) is imported only when asked for: every reader
 * thread of a run calls this, and loading all of them in each thread costs
 * more start-up than the thread itself.
 */
export async function formatForDataset(dataset: DlioDataset): Promise<DatasetFormat> {
  switch (dataset.format) {
    case 'npz': {
      const compression = dataset.compression ?? 'none'
      if (compression !== 'none') {
        throw new UnsupportedFormatError(`npz compression "${compression}" (np.savez_compressed) is not emulated by the native engine yet`)
      }
      return (await import('./npz.js')).npzFormat(dataset)
    }
    case 'tfrecord':
      return (await import('./tfrecord.js')).tfrecordFormat(dataset)
    case 'jpeg':
      return (await import('./jpeg.js')).jpegFormat(dataset)
    case 'parquet':
      return (await import('./parquet.js')).parquetFormat(dataset)
    default:
      throw new UnsupportedFormatError(
        `format ${dataset.format} is not emulated by the native engine yet (emulated: ${EMULATED_FORMATS.join(', ')}); use the dlio engine for it`,
      )
  }
}

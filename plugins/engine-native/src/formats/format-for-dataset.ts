import type {DlioDataset} from '../workload.js'
import type {DatasetFormat} from './dataset-format.js'
import {jpegFormat} from './jpeg.js'
import {npzFormat} from './npz.js'
import {parquetFormat} from './parquet.js'
import {tfrecordFormat} from './tfrecord.js'

export const EMULATED_FORMATS = ['npz', 'tfrecord', 'jpeg', 'parquet'] as const

export class UnsupportedFormatError extends Error {
  override readonly name = 'UnsupportedFormatError'
}

export function formatForDataset(dataset: DlioDataset): DatasetFormat {
  switch (dataset.format) {
    case 'npz': {
      const compression = dataset.compression ?? 'none'
      if (compression !== 'none') {
        throw new UnsupportedFormatError(`npz compression "${compression}" (np.savez_compressed) is not emulated by the native engine yet`)
      }
      return npzFormat(dataset)
    }
    case 'tfrecord':
      return tfrecordFormat(dataset)
    case 'jpeg':
      return jpegFormat(dataset)
    case 'parquet':
      return parquetFormat(dataset)
    default:
      throw new UnsupportedFormatError(
        `format ${dataset.format} is not emulated by the native engine yet (emulated: ${EMULATED_FORMATS.join(', ')}); use the dlio engine for it`,
      )
  }
}

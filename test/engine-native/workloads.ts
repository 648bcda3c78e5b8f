import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {DlioDataset, DlioTrainingWorkload} from '@mlps/run-options'

/** Temporary folders of one test suite, removed together when the suite ends. */
export function scratchSpace(): {dir: (prefix: string) => string; remove: () => void} {
  const dirs: string[] = []
  return {
    dir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), `mlps-native-${prefix}-`))
      dirs.push(dir)
      return dir
    },
    remove() {
      for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true})
    },
  }
}

/** unet3d's shape scaled down: npz, one sample per file, ~256 KiB records with a stdev. */
export function smallUnet3d(dataFolder: string, overrides: Partial<DlioDataset> = {}): DlioTrainingWorkload {
  return {
    model: {name: 'unet3d', type: 'cnn'},
    framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {
      data_folder: dataFolder,
      format: 'npz',
      num_files_train: 32,
      num_samples_per_file: 1,
      record_length_bytes: 262144,
      record_length_bytes_stdev: 32768,
      ...overrides,
    },
    reader: {data_loader: 'pytorch', batch_size: 4, read_threads: 2, file_shuffle: 'seed', sample_shuffle: 'seed'},
    train: {epochs: 2, computation_time: 0.01},
    metric: {au: 0.9},
  }
}

/** dlrm's shape scaled down: parquet with scalar columns of every dtype, row-group reads of the `read: true` columns. */
export function smallDlrm(dataFolder: string): DlioTrainingWorkload {
  return {
    model: {name: 'dlrm'},
    framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {
      data_folder: dataFolder,
      format: 'parquet',
      num_files_train: 4,
      num_samples_per_file: 2048,
      record_length_bytes: 15,
      compression: 'none',
      parquet: {
        row_group_size: 256,
        read_mode: 'row_group',
        columns: [
          {name: 'feature_000', dtype: 'float16', size: 1, read: true},
          {name: 'feature_001', dtype: 'float32', size: 1, read: false},
          {name: 'feature_002', dtype: 'float64', size: 1, read: true},
          {name: 'feature_003', dtype: 'int8', size: 1, read: false},
        ],
      },
    },
    reader: {data_loader: 'pytorch', batch_size: 512, read_threads: 2, prefetch_size: 2, file_shuffle: 'seed'},
    train: {epochs: 1, computation_time: 0.000375},
    metric: {au: 0.7},
  }
}

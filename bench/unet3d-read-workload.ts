import type {DlioTrainingWorkload} from '@mlps/run-options'

export interface ReadShape {
  format: 'npz' | 'jpeg'
  files: number
  recordBytes: number
  readThreads: number
  /** reader.odirect, when the bench sets it */
  odirect?: boolean
  /** one step only: what the run costs besides reading the epoch (threads, modules, listing, outputs) */
  startupOnly?: boolean
}

/** unet3d's shape (one sample per file, its readers per accelerator), no compute: the read path alone. */
export function unet3dReadWorkload(dataFolder: string, shape: ReadShape): DlioTrainingWorkload {
  return {
    model: {name: 'unet3d', type: 'cnn'},
    framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {data_folder: dataFolder, format: shape.format, num_files_train: shape.files, num_samples_per_file: 1, record_length_bytes: shape.recordBytes, record_length_bytes_stdev: 0},
    reader: {data_loader: 'pytorch', batch_size: 1, read_threads: shape.readThreads, file_shuffle: 'seed', sample_shuffle: 'seed', ...(shape.odirect === undefined ? {} : {odirect: shape.odirect})},
    train: {epochs: 1, computation_time: 0, ...(shape.startupOnly ? {total_training_steps: 1} : {})},
    metric: {au: 0.9},
  }
}

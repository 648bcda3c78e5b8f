/**
 * The MLPerf Storage workload definition, shaped like DLIO's workload YAML
 * (`configs/dlio/workload/<model>_<accelerator>.yaml`). Benchmark plugins
 * produce it; engine plugins (dlio, native) consume it. It lives in the core
 * because plugins never import each other: this is the contract they share.
 */
export type DatasetFormat =
  | 'npz' | 'npy' | 'tfrecord' | 'hdf5' | 'csv' | 'jpeg' | 'png'
  | 'indexed_binary' | 'mmap_indexed_binary' | 'synthetic' | 'parquet'

export type ParquetDtype = 'float16' | 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8'

export interface ParquetColumn {
  name: string
  dtype: ParquetDtype
  /** elements per row (a fixed-size list when > 1) */
  size: number
  /** DLIO's `read: false` columns are written but not read in row_group mode */
  read: boolean
}

export interface DlioDataset {
  data_folder: string
  format: DatasetFormat
  num_files_train: number
  num_files_eval?: number
  num_samples_per_file: number
  record_length_bytes: number
  record_length_bytes_stdev?: number
  record_length_bytes_resize?: number
  num_subfolders_train?: number
  num_subfolders_eval?: number
  file_prefix?: string
  compression?: string
  parquet?: {columns: ParquetColumn[]; row_group_size?: number; read_mode?: 'row_group' | 'default'}
}

export interface DlioReader {
  data_loader: 'pytorch' | 'tensorflow' | 'dali' | 'native_dali' | 'synthetic' | 'custom'
  batch_size: number
  read_threads: number
  computation_threads?: number
  prefetch_size?: number
  file_shuffle?: 'off' | 'seed' | 'random'
  sample_shuffle?: 'off' | 'seed' | 'random'
  shuffle_size?: number
  transfer_size?: number
  odirect?: boolean
  dont_use_mmap?: boolean
  multiprocessing_context?: string
}

export interface DlioTrain {
  epochs: number
  /** seconds of emulated accelerator compute per step */
  computation_time: number
  total_training_steps?: number
  seed?: number
}

export interface DlioCheckpoint {
  checkpoint_folder: string
  checkpoint_after_epoch?: number
  epochs_between_checkpoints?: number
  time_between_checkpoints?: number
  num_checkpoints_write?: number
  num_checkpoints_read?: number
  mode?: 'default' | 'subset'
  fsync?: boolean
}

export interface DlioModel {
  name: string
  type?: string
  model_size?: number
  model_size_bytes?: number
  num_layers?: number
  model_datatype?: string
  optimizer_datatype?: string
  parallelism?: {tensor?: number; pipeline?: number; data?: number; zero_stage?: number}
  transformer?: {
    vocab_size?: number
    hidden_size?: number
    ffn_hidden_size?: number
    num_attention_heads?: number
    num_kv_heads?: number
  }
}

export interface DlioWorkload {
  model: DlioModel
  framework: 'pytorch' | 'tensorflow'
  workflow: {generate_data: boolean; train: boolean; checkpoint: boolean}
  /** absent from the checkpoint-only workloads (`llama3_*.yaml` have no dataset section) */
  dataset?: DlioDataset
  reader?: DlioReader
  train?: DlioTrain
  checkpoint?: DlioCheckpoint
  metric?: {au: number}
}

/**
 * A workload that generates or reads a dataset (training's): the dataset
 * section is there. Readers that receive a plain DlioWorkload narrow it with
 * a check that names what is missing, never with `!`.
 */
export interface DlioTrainingWorkload extends DlioWorkload {
  dataset: DlioDataset
}

import {z} from 'mlps'

/**
 * The MLPerf Storage workload definition, shaped like DLIO's workload YAML
 * (`configs/dlio/workload/<model>_<accelerator>.yaml`). Benchmark plugins
 * (training, checkpointing) produce it; engine plugins (dlio, native) consume
 * it. Plugins never import each other, so it lives in this library both sides
 * depend on. Each type has its schema beside it, written against the type so
 * the two cannot drift; the schemas keep keys they do not know (a `--param`
 * may add any DLIO key, e.g. storage.storage_type).
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

const SHUFFLE = ['off', 'seed', 'random'] as const
const count = z.number().int().nonnegative()

export const DATASET_FORMATS = ['npz', 'npy', 'tfrecord', 'hdf5', 'csv', 'jpeg', 'png', 'indexed_binary', 'mmap_indexed_binary', 'synthetic', 'parquet'] as const satisfies readonly DatasetFormat[]
export const PARQUET_DTYPES = ['float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64', 'uint8'] as const satisfies readonly ParquetDtype[]

export const ParquetColumnSchema: z.ZodType<ParquetColumn> = z.looseObject({
  name: z.string().min(1),
  dtype: z.enum(PARQUET_DTYPES),
  size: z.number().int().positive(),
  read: z.boolean(),
})

export const DlioDatasetSchema: z.ZodType<DlioDataset> = z.looseObject({
  data_folder: z.string().min(1),
  format: z.enum(DATASET_FORMATS),
  num_files_train: count,
  num_files_eval: count.optional(),
  num_samples_per_file: z.number().int().positive(),
  record_length_bytes: count,
  record_length_bytes_stdev: z.number().nonnegative().optional(),
  record_length_bytes_resize: count.optional(),
  num_subfolders_train: count.optional(),
  num_subfolders_eval: count.optional(),
  file_prefix: z.string().optional(),
  compression: z.string().optional(),
  parquet: z.looseObject({
    columns: z.array(ParquetColumnSchema),
    row_group_size: z.number().int().positive().optional(),
    read_mode: z.enum(['row_group', 'default']).optional(),
  }).optional(),
})

export const DlioReaderSchema: z.ZodType<DlioReader> = z.looseObject({
  data_loader: z.enum(['pytorch', 'tensorflow', 'dali', 'native_dali', 'synthetic', 'custom']),
  batch_size: z.number().int().positive(),
  read_threads: count,
  computation_threads: count.optional(),
  prefetch_size: count.optional(),
  file_shuffle: z.enum(SHUFFLE).optional(),
  sample_shuffle: z.enum(SHUFFLE).optional(),
  shuffle_size: count.optional(),
  transfer_size: count.optional(),
  odirect: z.boolean().optional(),
  dont_use_mmap: z.boolean().optional(),
  multiprocessing_context: z.string().optional(),
})

export const DlioTrainSchema: z.ZodType<DlioTrain> = z.looseObject({
  epochs: count,
  computation_time: z.number().nonnegative(),
  total_training_steps: z.number().int().optional(),
  seed: z.number().int().optional(),
})

export const DlioCheckpointSchema: z.ZodType<DlioCheckpoint> = z.looseObject({
  checkpoint_folder: z.string().min(1),
  checkpoint_after_epoch: count.optional(),
  epochs_between_checkpoints: count.optional(),
  time_between_checkpoints: z.number().nonnegative().optional(),
  num_checkpoints_write: count.optional(),
  num_checkpoints_read: count.optional(),
  mode: z.enum(['default', 'subset']).optional(),
  fsync: z.boolean().optional(),
})

export const DlioModelSchema: z.ZodType<DlioModel> = z.looseObject({
  name: z.string().min(1),
  type: z.string().optional(),
  model_size: z.number().nonnegative().optional(),
  model_size_bytes: z.number().nonnegative().optional(),
  num_layers: z.number().int().positive().optional(),
  model_datatype: z.string().optional(),
  optimizer_datatype: z.string().optional(),
  parallelism: z.looseObject({tensor: count.optional(), pipeline: count.optional(), data: count.optional(), zero_stage: count.optional()}).optional(),
  transformer: z.looseObject({
    vocab_size: count.optional(),
    hidden_size: count.optional(),
    ffn_hidden_size: count.optional(),
    num_attention_heads: count.optional(),
    num_kv_heads: count.optional(),
  }).optional(),
})

export const DlioWorkloadSchema: z.ZodType<DlioWorkload> = z.looseObject({
  model: DlioModelSchema,
  framework: z.enum(['pytorch', 'tensorflow']),
  workflow: z.looseObject({generate_data: z.boolean(), train: z.boolean(), checkpoint: z.boolean()}),
  dataset: DlioDatasetSchema.optional(),
  reader: DlioReaderSchema.optional(),
  train: DlioTrainSchema.optional(),
  checkpoint: DlioCheckpointSchema.optional(),
  metric: z.looseObject({au: z.number().min(0).max(1)}).optional(),
})

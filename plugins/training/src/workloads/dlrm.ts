import {WHATIF_ONLY, type DlioTrainingWorkload, type ModelWorkloads, type ParquetColumn, type ParquetDtype} from './types.js'

// Sources: v3.0 `dlrm_{b200,mi355,datagen}.yaml` (engines.md §1.4.3, ST@2604 and the R3 code images)
// and mlpstorage-spec.md §3.2.
//
// Disagreement, batch size: mlpstorage-spec.md §3.2 gives 16384 for both b200 and mi355; engines.md
// §1.4.3 gives b200 12288 / mi355 18432. We take engines.md §1.4.3, the more recent v3.0 source.
// Its mi355 batch is 1.5 × b200 like its computation_time (0.0005625 = 1.5 × 0.000375), which a single
// 16384 for both accelerators is not.
//
// Disagreement, datagen row_group_size: engines.md §1.4.3 says 8192; the datagen YAML's own comment
// (mlpstorage-spec.md §3.2) derives its 1,536,000 samples per file as "250 RGs × 6144", and 1,536,000
// is not a multiple of 8192. We keep 6144, the value that makes the file's own numbers consistent.
// The datagen YAML's `parquet.use_s3dlio_gen: true` is left out: the core contract has no such key.
//
// Reference inconsistency kept as published (mlpstorage-spec.md §12.1 item 19): datagen writes
// 1,536,000 samples per file while the run configs read 4,718,592.

/**
 * The YAMLs list feature_000..feature_199, each of size 1, with 50 float16, 56 float32, 49 float64 and
 * 45 int8 columns, 40 of them `read: true`. Our references do not give which column has which dtype or
 * which 40 are read, so this builds a deterministic stand-in with the same counts: dtypes in contiguous
 * blocks in that order, and the first 10 columns of each dtype read. Sizes and byte totals are exact
 * (50×2 + 56×4 + 49×8 + 45×1 = 761 = the YAMLs' record_length_bytes); the column order is not.
 */
function dlrmColumns(): ParquetColumn[] {
  const blocks: Array<[ParquetDtype, number]> = [['float16', 50], ['float32', 56], ['float64', 49], ['int8', 45]]
  const readPerDtype = 10
  const columns: ParquetColumn[] = []
  for (const [dtype, count] of blocks) {
    for (let i = 0; i < count; i++) {
      columns.push({name: `feature_${String(columns.length).padStart(3, '0')}`, dtype, size: 1, read: i < readPerDtype})
    }
  }
  return columns
}

// the dlrm YAMLs carry no model.type
const model = {name: 'dlrm'}

const dataset = {
  // our references do not quote dlrm's data_folder; this follows the other models' data/<model>
  data_folder: 'data/dlrm',
  format: 'parquet',
  num_files_train: 1024,
  record_length_bytes: 761,
  compression: 'none',
} as const

function dlrmRun(batchSize: number, computationTime: number): DlioTrainingWorkload {
  return {
    model,
    framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {
      ...dataset,
      num_samples_per_file: 4718592,
      parquet: {columns: dlrmColumns(), row_group_size: 6144, read_mode: 'row_group'},
    },
    reader: {data_loader: 'pytorch', batch_size: batchSize, read_threads: 4, prefetch_size: 2, file_shuffle: 'seed'},
    train: {epochs: 1, computation_time: computationTime},
    metric: {au: 0.7},
  }
}

export const dlrm: ModelWorkloads = {
  model: 'dlrm',
  runs: {
    b200: {workload: dlrmRun(12288, 0.000375), support: WHATIF_ONLY},
    mi355: {workload: dlrmRun(18432, 0.0005625), support: WHATIF_ONLY},
  },
  datagen: {
    model,
    framework: 'pytorch',
    workflow: {generate_data: true, train: false, checkpoint: false},
    dataset: {
      ...dataset,
      num_samples_per_file: 1536000,
      parquet: {columns: dlrmColumns(), row_group_size: 6144, read_mode: 'row_group'},
    },
  },
}

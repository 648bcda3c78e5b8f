import {WHATIF_ONLY, type DlioTrainingWorkload, type ModelWorkloads, type ParquetColumn} from './types.js'

// Sources: v3.0 `flux_{b200,mi355,datagen}.yaml` (engines.md §1.4.3, mlpstorage-spec.md §3.2); both
// agree on every value below.
//
// The YAMLs spell the sample size `record_length: 2164832`, a key DLIO does not read (for parquet it
// sizes samples from the columns). The core contract requires record_length_bytes, so we carry the
// same number under that key: it equals the column total, 4 × (524328 + 409 + 8232 + 8232 + 7).
//
// Reference inconsistency kept as published (mlpstorage-spec.md §12.1 item 19, storage#305): datagen
// writes 256 samples per file while the run configs read 288.

// Our references do not give per-column `read` flags for flux; all five columns are training inputs.
const columns: ParquetColumn[] = [
  {name: 't5_encodings', dtype: 'float32', size: 524328, read: true},
  {name: 'clip_encodings', dtype: 'float32', size: 409, read: true},
  {name: 'mean', dtype: 'float32', size: 8232, read: true},
  {name: 'logvar', dtype: 'float32', size: 8232, read: true},
  {name: 'timestamp', dtype: 'float32', size: 7, read: true},
]

// the flux YAMLs carry no model.type
const model = {name: 'flux'}

const dataset = {
  // our references do not quote flux's data_folder; this follows the other models' data/<model>
  data_folder: 'data/flux',
  format: 'parquet',
  num_files_train: 4296,
  record_length_bytes: 2164832,
  compression: 'none',
} as const

function fluxRun(batchSize: number, computationTime: number): DlioTrainingWorkload {
  return {
    model,
    framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {...dataset, num_samples_per_file: 288, parquet: {columns}},
    reader: {data_loader: 'pytorch', batch_size: batchSize, read_threads: 8, file_shuffle: 'seed'},
    train: {epochs: 1, computation_time: computationTime},
    metric: {au: 0.9},
  }
}

export const flux: ModelWorkloads = {
  model: 'flux',
  runs: {
    b200: {workload: fluxRun(48, 1.35), support: WHATIF_ONLY},
    mi355: {workload: fluxRun(72, 2.025), support: WHATIF_ONLY},
  },
  datagen: {
    model,
    framework: 'pytorch',
    workflow: {generate_data: true, train: false, checkpoint: false},
    dataset: {...dataset, num_samples_per_file: 256, parquet: {columns}},
  },
}

import {V2_CLOSED_NOW_WHATIF, type DlioTrainingWorkload, type ModelWorkloads} from './types.js'

// Source: v2.0 `configs/dlio/workload/cosmoflow_{a100,h100}.yaml` and `cosmoflow_datagen.yaml`
// (engines.md §1.4.1, rules.md §1.1). The v3.0 tool keeps them for whatif only.

// The cosmoflow YAMLs carry no model.type.
const model = {name: 'cosmoflow'}

const dataset = {
  data_folder: 'data/cosmoflow',
  format: 'tfrecord',
  num_files_train: 524288,
  num_samples_per_file: 1,
  record_length_bytes: 2828486,
  record_length_bytes_stdev: 71311,
} as const

function cosmoflowRun(computationTime: number): DlioTrainingWorkload {
  return {
    model,
    framework: 'tensorflow',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {...dataset},
    reader: {
      data_loader: 'tensorflow',
      batch_size: 1,
      read_threads: 4,
      file_shuffle: 'seed',
      sample_shuffle: 'seed',
      shuffle_size: 2,
    },
    train: {epochs: 5, computation_time: computationTime},
    metric: {au: 0.7},
  }
}

export const cosmoflow: ModelWorkloads = {
  model: 'cosmoflow',
  runs: {
    a100: {workload: cosmoflowRun(0.00551), support: V2_CLOSED_NOW_WHATIF},
    h100: {workload: cosmoflowRun(0.0035), support: V2_CLOSED_NOW_WHATIF},
  },
  datagen: {
    model,
    framework: 'tensorflow',
    workflow: {generate_data: true, train: false, checkpoint: false},
    dataset: {...dataset},
  },
}

import {V2_CLOSED_NOW_WHATIF, type DlioTrainingWorkload, type ModelWorkloads} from './types.js'

// Source: v2.0 `configs/dlio/workload/resnet50_{a100,h100}.yaml` and `resnet50_datagen.yaml`
// (engines.md §1.4.1, rules.md §1.1). The v3.0 tool keeps them for whatif only.

const model = {name: 'resnet50', type: 'cnn'}

const dataset = {
  data_folder: 'data/resnet50',
  format: 'tfrecord',
  num_files_train: 1024,
  num_samples_per_file: 1251,
  // A mean over the ImageNet records, hence fractional; datasize treats it as an exact decimal.
  record_length_bytes: 114660.07,
  record_length_bytes_resize: 150528,
} as const

function resnet50Run(computationTime: number, dontUseMmap: boolean): DlioTrainingWorkload {
  return {
    model,
    framework: 'tensorflow',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {...dataset},
    reader: {
      data_loader: 'tensorflow',
      batch_size: 400,
      read_threads: 8,
      computation_threads: 8,
      // only the a100 YAML sets dont_use_mmap; the h100 one leaves DLIO's default
      ...(dontUseMmap ? {dont_use_mmap: true} : {}),
    },
    train: {epochs: 5, computation_time: computationTime},
    metric: {au: 0.9},
  }
}

export const resnet50: ModelWorkloads = {
  model: 'resnet50',
  runs: {
    a100: {workload: resnet50Run(0.435, true), support: V2_CLOSED_NOW_WHATIF},
    h100: {workload: resnet50Run(0.224, false), support: V2_CLOSED_NOW_WHATIF},
  },
  datagen: {
    model,
    framework: 'tensorflow',
    workflow: {generate_data: true, train: false, checkpoint: false},
    dataset: {...dataset},
  },
}

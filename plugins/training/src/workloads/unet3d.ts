import {V2_CLOSED_NOW_WHATIF, V3_SUBMITTABLE, type DlioTrainingWorkload, type ModelWorkloads} from './types.js'

// Sources: v2.0 `configs/dlio/workload/unet3d_{a100,h100}.yaml` (engines.md §1.4.1) and the v3.0
// `unet3d_b200.yaml` @0d75b41 (engines.md §1.4.3, mlpstorage-spec.md §3.2, rules.md §1.1).

const model = {
  name: 'unet3d',
  type: 'cnn',
  // The YAML says `model_size`, which DLIO does not read (it reads model_size_bytes); kept to mirror the YAML.
  model_size: 499153191,
}

const dataset = {
  data_folder: 'data/unet3d/',
  format: 'npz',
  num_samples_per_file: 1,
  record_length_bytes: 146600628,
  record_length_bytes_stdev: 68341808,
  record_length_bytes_resize: 2097152,
} as const

function unet3dRun(numFilesTrain: number, computationTime: number): DlioTrainingWorkload {
  return {
    model,
    framework: 'pytorch',
    // v2.0 ran with checkpoint: True (after epoch 5, every 2 epochs); every v3 unet3d YAML sets False.
    // The checkpoint block is kept because CLOSED may still override checkpoint.checkpoint_folder.
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {...dataset, num_files_train: numFilesTrain},
    reader: {data_loader: 'pytorch', batch_size: 7, read_threads: 4, file_shuffle: 'seed', sample_shuffle: 'seed'},
    train: {epochs: 5, computation_time: computationTime},
    checkpoint: {checkpoint_folder: 'checkpoints/unet3d', checkpoint_after_epoch: 5, epochs_between_checkpoints: 2},
    metric: {au: 0.9},
  }
}

export const unet3d: ModelWorkloads = {
  model: 'unet3d',
  runs: {
    a100: {workload: unet3dRun(168, 0.636), support: V2_CLOSED_NOW_WHATIF},
    h100: {workload: unet3dRun(168, 0.323), support: V2_CLOSED_NOW_WHATIF},
    // 7200 files is the YAML's placeholder ("~984 GiB: 7200 × ~140 MiB avg"); datasize gives the real count.
    // 0.162 s is documented in the YAML as "H100 (0.323 s) ÷ 2".
    b200: {workload: unet3dRun(7200, 0.162), support: V3_SUBMITTABLE},
  },
  datagen: {
    model,
    framework: 'pytorch',
    workflow: {generate_data: true, train: false, checkpoint: false},
    dataset: {...dataset, num_files_train: 168},
  },
  // The L3 editions table lists CLOSED v3.0 unet3d on [b200, mi355] (mlpstorage-spec.md §3.2, §8.10),
  // but none of our references gives unet3d_mi355 values (computation_time, batch size), and the
  // v3.0 ManPage support table omits the pair. Deriving them (e.g. from the retinanet mi355/b200
  // ratio of 1.5) would invent an official number, so the pair is left out.
  missing: {
    mi355: 'the v3.0 CLOSED edition lists unet3d on mi355, but our references do not give its workload values (batch size, computation_time)',
  },
}

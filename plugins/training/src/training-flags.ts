import {Flags} from 'mlps'
import {ACCELERATORS, TRAINING_MODELS} from './workloads/index.js'

/** Flags shared by the training commands, spelled as the reference tool spells them. */
export const modelFlag = Flags.string({char: 'm', description: 'training model', options: [...TRAINING_MODELS], required: true})

export const acceleratorFlag = Flags.string({
  char: 'g', description: 'emulated accelerator [config: benchmarks.training.accelerator]', options: [...ACCELERATORS],
})

export const paramFlag = Flags.string({
  description: 'override a workload value, e.g. dataset.num_files_train=400 (repeatable)', multiple: true,
})

export const newParamFlag = Flags.string({
  description: 'add a workload key that neither the workload nor DLIO is known to take, e.g. reader.my_option=1; the run is then OPEN at most (repeatable)', multiple: true,
})

export const dataDirFlag = Flags.string({description: 'where the dataset lives: <data-dir>/<model>/train/ [config: benchmarks.training.dataDir]'})

export const engineFlag = Flags.string({description: 'engine that runs the workload: native (built in) or dlio [config: benchmarks.training.engine]'})

export const dlioBinFlag = Flags.string({description: 'path of dlio_benchmark for --engine dlio [config: engines.dlio.bin; default: PATH]'})

import {TRAINING_RUN_OPTION_FLAGS, TrainingRunOptionsSchema} from '@mlps/run-options'
import type {PluginContribution} from 'mlps'
import {TrainingOptionsSchema} from '../options.js'
import {trainingResults} from '../results/training-results.js'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    benchmarks: [{
      name: 'training',
      description: 'MLPerf Storage training: emulated accelerators reading a dataset (unet3d, resnet50, cosmoflow, retinanet, dlrm, flux)',
      results: trainingResults,
      optionsSchema: TrainingOptionsSchema,
      runOptionsSchema: TrainingRunOptionsSchema,
      runOptionFlags: TRAINING_RUN_OPTION_FLAGS,
      storagePaths: {dataFolder: 'data_dir'},
    }],
  }
}

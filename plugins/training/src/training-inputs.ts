import {applyParams} from '@mlps/run-options'
import type {DlioTrainingWorkload} from '@mlps/run-options'
import {MlpsError, type ResolvedConfig} from 'mlps'
import {joinStoragePath, resolveStoragePath, storageBaseName} from 'mlps/unstable'
import {TrainingOptionsSchema, type TrainingOptions} from './options.js'
import {getWorkload, UnsupportedWorkloadError} from './workloads/index.js'

export function trainingOptions(resolved: ResolvedConfig): TrainingOptions {
  return TrainingOptionsSchema.parse(resolved.config.benchmarks.training ?? {})
}

/** The catalogue workload with the user's --param values applied; unsupported pairs become exit 2. */
export function resolveWorkload(model: string, target: string, params: readonly string[], newParams: readonly string[] = []): {workload: DlioTrainingWorkload; baseWorkload: DlioTrainingWorkload; workloadName: string; userOverrides: Record<string, unknown>} {
  let base: DlioTrainingWorkload
  try {
    base = getWorkload(model, target)
  } catch (error) {
    if (error instanceof UnsupportedWorkloadError) {
      throw new MlpsError(error.message.replace(/\. Fix: .*$/, ''), {where: target === 'datagen' ? '--model' : '--accelerator-type', fix: error.fix})
    }
    throw error
  }
  const {workload, applied} = applyParams(base, params, newParams)
  // the reference names configs <model with _ for ->_<accelerator|datagen> (mlpstorage-spec.md §3.2)
  const workloadName = `${model.replaceAll('-', '_')}_${target}`
  return {workload, baseWorkload: base, workloadName, userOverrides: Object.fromEntries(applied.map(p => [p.key, p.value]))}
}

export function requireAccelerator(flag: string | undefined, options: TrainingOptions): string {
  const accelerator = flag ?? options.accelerator
  if (!accelerator) {
    throw new MlpsError('no accelerator type given', {where: '--accelerator-type', fix: 'pass --accelerator-type b200 (or a100, h100, mi355), or set benchmarks.training.accelerator'})
  }
  return accelerator
}

/**
 * Point the workload at the dataset: `<data-dir>/<model>` unless the given
 * folder already ends with the model's name (the reference's convention).
 * The data dir may be a bucket, `s3://bucket/prefix`. The folder is
 * tool-injected, not a user override.
 */
export function placeDataset(workload: DlioTrainingWorkload, model: string, dataDir: string | undefined, options: TrainingOptions): {dataFolder: string; toolInjected: Record<string, unknown>} {
  const root = dataDir ?? options.dataDir
  if (!root) {
    throw new MlpsError('no data directory given', {where: '--data-dir', fix: 'pass --data-dir /path/on/the/storage/under/test, or set benchmarks.training.dataDir'})
  }
  const absolute = resolveStoragePath(root, dataDir === undefined ? 'benchmarks.training.dataDir' : '--data-dir')
  const dataFolder = storageBaseName(absolute) === model ? absolute : joinStoragePath(absolute, model)
  workload.dataset.data_folder = dataFolder
  return {dataFolder, toolInjected: {'dataset.data_folder': dataFolder}}
}

import {access, constants, readdir, stat} from 'node:fs/promises'
import {totalmem} from 'node:os'
import {dirname} from 'node:path'
import {type DlioDataset, type TrainingRunOptions, TrainingRunOptionsSchema} from '@mlps/run-options'
import {type CheckContext, type CheckResult, MlpsError, type PreflightCheck, type RunContext} from 'mlps'
import {formatBytes, isObjectStorageUri, nearestExisting} from 'mlps/unstable'
import {formatForDataset} from '../formats/format-for-dataset.js'
import {objectTargetOf} from '../s3/object-target.js'
import {DatasetNotReadyError} from './dataset-listing.js'
import {trainFolder, trainSubfolders} from '../formats/dataset-layout.js'
import {nativeRunCheck} from '../native-check.js'
import {trainingWorkload} from '../workload.js'

const RULE = 'native.preflight'
const BENCHMARK = 'training'

/** Bytes the dataset will take, from the workload's nominal sizes. */
export function plannedDatasetBytes(ctx: RunContext<TrainingRunOptions>): number {
  const {dataset} = trainingWorkload(ctx)
  return dataset.num_files_train * dataset.num_samples_per_file * dataset.record_length_bytes
}

const dataDirWritable = nativeRunCheck({
  id: `${RULE}.dataDirWritable`, title: 'the data folder datagen writes is writable', benchmark: BENCHMARK, commands: ['datagen'], schema: TrainingRunOptionsSchema,
  async run(ctx) {
    const dataFolder = trainingWorkload(ctx).dataset.data_folder
    // a bucket is probed by the core's mlps.s3Access (an object put and deleted)
    if (isObjectStorageUri(dataFolder)) return {status: 'ok', detail: `not applicable: object storage (${dataFolder})`}
    const existing = await nearestExisting(dataFolder)
    try {
      if (!(await stat(existing)).isDirectory()) throw Object.assign(new Error(`${existing} is a file, not a folder`), {code: 'ENOTDIR'})
      await access(existing, constants.W_OK)
    } catch (error) {
      return {status: 'fail', detail: `cannot write the data folder ${dataFolder}: ${(error as Error).message}`, fix: 'pick a --data-dir you can write, or fix its permissions'}
    }
    // free space against the planned dataset is the core's mlps.freeSpace check, on every host
    return {status: 'ok', detail: `${existing} is writable`}
  },
})

interface DatasetCount {
  dataFolder: string
  files?: number
  bytes?: number
  /** on a bucket: the objects were checked by name (a spread of HEADs), nothing was listed or sized */
  objects?: true
  /** on a bucket: why the objects checked are not the planned dataset, or why the bucket could not be asked */
  problem?: {detail: string; notEvaluable?: true}
}

/** The dataset a run reads, counted once for every check that looks at it. */
function countedDataset(ctx: RunContext<TrainingRunOptions>, check: CheckContext): Promise<DatasetCount> {
  const {dataset} = trainingWorkload(ctx)
  return check.shared(`${RULE}.dataset`, async () => {
    const target = objectTargetOf(dataset.data_folder, ctx.config.objectStorage, '--data-dir')
    if (!target) return {dataFolder: dataset.data_folder, ...await countDatasetFiles(dataset, dataset.data_folder)}
    // the engine's own check when it starts, moved before it: named objects, HEADs of a spread, never a listing
    try {
      await (await import('../s3/object-dataset.js')).trainingObjectKeys(dataset, target, await formatForDataset(dataset))
    } catch (error) {
      if (error instanceof DatasetNotReadyError) return {dataFolder: dataset.data_folder, problem: {detail: error.message}}
      if (error instanceof MlpsError) return {dataFolder: dataset.data_folder, problem: {detail: `${target.uri} cannot be read (the mlps.s3 checks say why)`, notEvaluable: true}}
      throw error
    }
    return {dataFolder: dataset.data_folder, files: dataset.num_files_train, objects: true as const}
  })
}

function datagenFix(ctx: RunContext<TrainingRunOptions>): string {
  const {dataset} = trainingWorkload(ctx)
  return `generate it first: mlps training datagen --model ${ctx.model} --data-dir ${dirname(dataset.data_folder)} --param dataset.num_files_train=${dataset.num_files_train}` +
    (dataset.num_subfolders_train ? ` --param dataset.num_subfolders_train=${dataset.num_subfolders_train}` : '')
}

function datasetCheck(id: string, title: string, judge: (ctx: RunContext<TrainingRunOptions>, found: DatasetCount) => Promise<CheckResult>): PreflightCheck {
  return nativeRunCheck({id, title, benchmark: BENCHMARK, commands: ['run'], schema: TrainingRunOptionsSchema, run: async (ctx, check) => judge(ctx, await countedDataset(ctx, check))})
}

const datasetPresent = datasetCheck(`${RULE}.datasetPresent`, 'the dataset the run reads is there', async (ctx, found) => found.problem
  ? found.problem.notEvaluable ? {status: 'skip', detail: `not evaluable: ${found.problem.detail}`} : {status: 'fail', kind: 'input', detail: found.problem.detail, fix: datagenFix(ctx)}
  : found.files === undefined
  ? {status: 'fail', kind: 'input', detail: `no dataset at ${trainFolder(found.dataFolder)}`, fix: datagenFix(ctx)}
  : {status: 'ok', detail: `${found.files} files in ${trainFolder(found.dataFolder)}`})

const datasetSize = datasetCheck(`${RULE}.datasetSize`, 'the dataset holds every file the run reads', async (ctx, found) => {
  const {dataset} = trainingWorkload(ctx)
  if (found.files === undefined) return {status: 'skip', detail: `not evaluable: no dataset at ${trainFolder(found.dataFolder)} to count`}
  if (found.files < dataset.num_files_train) {
    return {status: 'fail', kind: 'input', detail: `${trainFolder(found.dataFolder)} holds ${found.files} .${dataset.format} files; the run reads ${dataset.num_files_train}`, fix: datagenFix(ctx)}
  }
  return {status: 'ok', detail: `${found.files} .${dataset.format} files, the run reads ${dataset.num_files_train}`}
})

const potentialCaching = datasetCheck('native.potentialCaching', 'the dataset is larger than the page cache could hold', async (ctx, found) => {
  if (found.objects) return {status: 'ok', detail: `not applicable: object storage (${found.dataFolder}): objects are read over HTTP, never through this host's page cache`}
  if (found.files === undefined || found.bytes === undefined) return {status: 'skip', detail: `not evaluable: no dataset at ${trainFolder(found.dataFolder)} to size`}
  const memory = ctx.options.clientHostMemoryBytes ?? totalmem()
  if (found.bytes < 5 * memory && ctx.options.dropCaches) {
    // each epoch reads every file once, after the drop: no read can come from the page cache (native.preflight.dropCaches checks the drop can happen)
    return {status: 'ok', detail: `the dataset (${formatBytes(found.bytes)}) is under 5× this host's memory (${formatBytes(memory)}), but --drop-caches empties the page cache before each epoch`}
  }
  if (found.bytes < 5 * memory) {
    return {status: 'warn', detail: `the dataset (${formatBytes(found.bytes)}) is under 5× this host's memory (${formatBytes(memory)}): reads may come from the page cache, not the storage`,
      fix: 'size the dataset with `mlps training datasize`, or pass --drop-caches as root'}
  }
  return {status: 'ok', detail: `the dataset (${formatBytes(found.bytes)}) is at least 5× this host's memory (${formatBytes(memory)})`}
})

// the native engine's planRun refuses such a run, but only once the engine has started (exit 1): the same sum here is bad input
const stepsPerEpoch = nativeRunCheck({
  id: `${RULE}.stepsPerEpoch`, title: 'the dataset gives every accelerator at least one full step', benchmark: BENCHMARK, commands: ['run'], schema: TrainingRunOptionsSchema,
  async run(ctx) {
    const {dataset, reader} = trainingWorkload(ctx)
    const accelerators = ctx.numProcesses ?? 1
    if (!reader) return {status: 'skip', detail: 'not evaluable: the workload has no reader section'}
    const steps = Math.floor(dataset.num_files_train * dataset.num_samples_per_file / reader.batch_size / accelerators)
    if (steps < 1) {
      return {status: 'fail', kind: 'input', detail: `${dataset.num_files_train} files × ${dataset.num_samples_per_file} samples give no full step of ${reader.batch_size} samples on each of ${accelerators} accelerators`,
        fix: `use at least ${reader.batch_size * accelerators} samples (--param dataset.num_files_train=${Math.ceil(reader.batch_size * accelerators / dataset.num_samples_per_file)}), or fewer accelerators`}
    }
    return {status: 'ok', detail: `${steps} steps per epoch on each of ${accelerators} accelerators`}
  },
})

const dropCaches = nativeRunCheck({
  id: `${RULE}.dropCaches`, title: '--drop-caches can write /proc/sys/vm/drop_caches', benchmark: BENCHMARK, commands: ['run'],
  appliesTo: ctx => ctx.run?.options.dropCaches === true,
  async run() {
    if (process.getuid?.() === 0) return {status: 'ok', detail: 'running as root'}
    return {status: 'fail', detail: '--drop-caches needs root to write /proc/sys/vm/drop_caches', fix: 'run as root, or leave out --drop-caches'}
  },
})

/**
 * Everything the native engine can tell before a training run or datagen
 * starts, reported together: a dataset that is missing
 * or too small, a data dir it cannot write, caches it may not drop.
 */
export const trainingChecks: PreflightCheck[] = [
  dataDirWritable, datasetPresent, datasetSize, stepsPerEpoch, potentialCaching, dropCaches,
]

/** Files of the dataset's format under train/ (and its subfolders), with their total size. */
async function countDatasetFiles(dataset: DlioDataset, dataFolder: string): Promise<{files?: number; bytes?: number}> {
  let files = 0
  let bytes = 0
  for (const folder of trainSubfolders(dataset, dataFolder)) {
    let names: string[]
    try {
      names = await readdir(folder)
    } catch {
      return files === 0 ? {} : {files, bytes}
    }
    for (const name of names) {
      if (!name.endsWith(`.${dataset.format}`)) continue
      files++
      bytes += (await stat(`${folder}/${name}`)).size
    }
  }
  return {files, bytes}
}

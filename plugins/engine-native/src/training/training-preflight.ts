import {access, constants, readdir, stat} from 'node:fs/promises'
import {totalmem} from 'node:os'
import {dirname} from 'node:path'
import type {DlioDataset, TrainingRunOptions} from '@mlps/run-options'
import {formatBytes, type RunContext, nearestExisting, isLocalHost} from 'mlps'
import {trainFolder, trainSubfolders} from '../formats/dataset-layout.js'
import {trainingWorkload} from '../workload.js'

const RULE = 'native.preflight'

/** Bytes the dataset will take, from the workload's nominal sizes. */
export function plannedDatasetBytes(ctx: RunContext<TrainingRunOptions>): number {
  const {dataset} = trainingWorkload(ctx)
  return dataset.num_files_train * dataset.num_samples_per_file * dataset.record_length_bytes
}

/**
 * Everything the native engine can tell before it starts, reported together:
 * hosts it cannot reach, a dataset that is missing or too small, a data dir
 * it cannot write, space it does not have, caches it may not drop.
 */
export async function trainingPreflight(ctx: RunContext<TrainingRunOptions>): Promise<void> {
  const remote = ctx.hosts.filter(host => !isLocalHost(host.name))
  if (remote.length > 0) {
    ctx.addFinding({ruleId: `${RULE}.localOnly`, severity: 'error', kind: 'input',
      message: `the native engine runs on this host only, not on ${remote.map(h => h.name).join(', ')}`,
      fix: 'drop --hosts (or set hosts: [localhost]), or use --engine dlio for a multi-host run'})
  }
  const dataFolder = trainingWorkload(ctx).dataset.data_folder
  if (ctx.command === 'datagen') await datagenChecks(ctx, dataFolder)
  else await runChecks(ctx, dataFolder)
}

async function datagenChecks(ctx: RunContext<TrainingRunOptions>, dataFolder: string): Promise<void> {
  const existing = await nearestExisting(dataFolder)
  try {
    if (!(await stat(existing)).isDirectory()) throw Object.assign(new Error(`${existing} is a file, not a folder`), {code: 'ENOTDIR'})
    await access(existing, constants.W_OK)
  } catch (error) {
    ctx.addFinding({ruleId: `${RULE}.dataDirWritable`, severity: 'error', kind: 'environment',
      message: `cannot write the data folder ${dataFolder}: ${(error as Error).message}`,
      fix: 'pick a --data-dir you can write, or fix its permissions'})
  }
  // free space against the planned dataset is the core's mlps.freeSpace check, on every host
}

async function runChecks(ctx: RunContext<TrainingRunOptions>, dataFolder: string): Promise<void> {
  const {dataset} = trainingWorkload(ctx)
  const found = await countDatasetFiles(dataset, dataFolder)
  const datagenFix = `generate it first: mlps training datagen --model ${ctx.model} --data-dir ${dirname(dataFolder)} --param dataset.num_files_train=${dataset.num_files_train}` +
    (dataset.num_subfolders_train ? ` --param dataset.num_subfolders_train=${dataset.num_subfolders_train}` : '')
  if (found.files === undefined) {
    ctx.addFinding({ruleId: `${RULE}.datasetPresent`, severity: 'error', kind: 'input',
      message: `no dataset at ${trainFolder(dataFolder)}`, fix: datagenFix})
  } else if (found.files < dataset.num_files_train) {
    ctx.addFinding({ruleId: `${RULE}.datasetSize`, severity: 'error', kind: 'input',
      message: `${trainFolder(dataFolder)} holds ${found.files} .${dataset.format} files; the run reads ${dataset.num_files_train}`,
      fix: datagenFix})
  }
  if (found.files !== undefined && found.bytes !== undefined) {
    const memory = ctx.options.clientHostMemoryBytes ?? totalmem()
    if (found.bytes < 5 * memory) {
      ctx.addFinding({ruleId: 'native.potentialCaching', severity: 'warn',
        message: `the dataset (${formatBytes(found.bytes)}) is under 5× this host's memory (${formatBytes(memory)}): reads may come from the page cache, not the storage`,
        fix: 'size the dataset with `mlps training datasize`, or pass --drop-caches as root'})
    }
  }
  if (ctx.options.dropCaches && process.getuid?.() !== 0) {
    ctx.addFinding({ruleId: `${RULE}.dropCaches`, severity: 'error', kind: 'environment',
      message: '--drop-caches needs root to write /proc/sys/vm/drop_caches', fix: 'run as root, or leave out --drop-caches'})
  }
}

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


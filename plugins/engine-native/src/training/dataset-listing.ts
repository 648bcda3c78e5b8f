import {mapWithConcurrency} from 'mlps/unstable'
import fs from 'node:fs/promises'
import path from 'node:path'

import type {DlioDataset} from '../workload.js'
import type {DatasetFormat} from '../formats/dataset-format.js'
import {trainFolder, trainSubfolders} from '../formats/dataset-layout.js'

export class DatasetNotReadyError extends Error {
  override readonly name = 'DatasetNotReadyError'
}

const STAT_CONCURRENCY = 64
const GENERATION_INDEX = /_(\d+)_of_(\d+)\.[^.]+$/

async function listFormatFiles(folder: string, extension: string): Promise<string[]> {
  const names = await fs.readdir(folder)
  return names.filter(name => name.endsWith(`.${extension}`)).map(name => path.join(folder, name))
}

/**
 * DLIO's start-up listing (engines.md §1.6): the `*.<format>` files of
 * `<data_folder>/train` (or of its subfolders), sorted; too few is an error,
 * extra files are ignored beyond the first `num_files_train`.
 */
export async function listTrainingFiles(dataset: DlioDataset, dataFolder: string, format: DatasetFormat): Promise<string[]> {
  const folder = trainFolder(dataFolder)
  const fix = `Generate it first (mlps datagen / the native engine's generateTrainingData with the same workload and data folder).`
  try {
    await fs.access(folder)
  } catch {
    throw new DatasetNotReadyError(`training dataset folder ${folder} does not exist: expected ${dataset.num_files_train} .${format.extension} files. ${fix}`)
  }
  const folders = trainSubfolders(dataset, dataFolder)
  const listed = (await Promise.all(folders.map(sub => listFormatFiles(sub, format.extension).catch(() => [] as string[])))).flat().sort()
  if (listed.length < dataset.num_files_train) {
    const where = folders.length > 1 ? `${folder} (${folders.length} subfolders)` : folder
    throw new DatasetNotReadyError(
      `not enough training files in ${where}: expected ${dataset.num_files_train} .${format.extension} files, found ${listed.length}. ${fix}`,
    )
  }
  return listed.slice(0, dataset.num_files_train)
}

/**
 * For formats whose planned sizes are DLIO's own, rejects files shorter than
 * planned before the run starts (a crash mid-write, a different dataset);
 * other formats are checked by their readers as they go.
 */
export async function assertPlannedSizes(files: readonly string[], format: DatasetFormat): Promise<void> {
  if (!format.plannedSizesMatchDlio) return
  const short = (await mapWithConcurrency(files, STAT_CONCURRENCY, async file => {
    const match = GENERATION_INDEX.exec(file)
    if (!match || Number(match[2]) !== files.length) return undefined
    const planned = format.plannedFileSize(Number(match[1]))
    const {size} = await fs.stat(file)
    return size < planned ? `${file} (${size} of ${planned} bytes)` : undefined
  })).filter((entry): entry is string => entry !== undefined)
  if (short.length > 0) {
    throw new DatasetNotReadyError(
      `${short.length} training file(s) are shorter than expected, e.g. ${short.slice(0, 3).join(', ')}. ` +
        'Re-run datagen with the same workload: it rewrites files whose size does not match the plan.',
    )
  }
}

import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

/** What a training run would find of its dataset, listed the way DLIO lists it. */
export type DatasetOnDisk = {missing: true} | {missing: false; folders: number; files: number}

/**
 * DLIO's own listing (main.py initialize): the entries of <data_folder>/train; when there are folders,
 * the .<format> files one level down in them, else the train/ files ending in the format.
 */
export async function listDataset(dataFolder: string, format: string): Promise<DatasetOnDisk> {
  const train = join(dataFolder, 'train')
  let entries
  try {
    entries = await readdir(train, {withFileTypes: true})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {missing: true}
    throw error
  }
  const folders = entries.filter(entry => entry.isDirectory())
  if (folders.length === 0) return {missing: false, folders: 0, files: entries.filter(entry => entry.isFile() && entry.name.endsWith(format)).length}
  const counts = await Promise.all(folders.map(async folder =>
    (await readdir(join(train, folder.name), {withFileTypes: true})).filter(entry => entry.isFile() && entry.name.endsWith(`.${format}`)).length))
  return {missing: false, folders: folders.length, files: counts.reduce((a, b) => a + b, 0)}
}

/** Why the dataset cannot serve a run reading `files` files in `subfolders` subfolders; undefined when it can. */
export function datasetShortfall(found: DatasetOnDisk, files: number, subfolders: number, where: string): string | undefined {
  if (found.missing) return `${where}/train does not exist`
  if (found.folders > 0 && found.folders !== subfolders) return `${where}/train holds ${found.folders} subfolders, the run reads ${subfolders}`
  if (found.files < files) return `${where}/train holds ${found.files} files, the run reads ${files}`
  return undefined
}

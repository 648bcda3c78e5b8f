import path from 'node:path'

import type {DlioDataset} from '../workload.js'

/**
 * DLIO's dataset file names and folders (engines.md §1.5, `data_generator.py`):
 * `<data_folder>/train/[<subfolder>/]<prefix>_<i>_of_<N>.<format>` with `i`
 * zero-padded to the digits of N, and files spread round-robin (`i % S`)
 * into zero-padded subfolders when `num_subfolders_train > 1`.
 */
export function trainFolder(dataFolder: string): string {
  return path.join(dataFolder, 'train')
}

export function padded(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

export function trainFileRelativePath(dataset: DlioDataset, index: number): string {
  const total = dataset.num_files_train
  const name = `${dataset.file_prefix ?? 'img'}_${padded(index, String(total).length)}_of_${total}.${dataset.format}`
  const subfolders = dataset.num_subfolders_train ?? 0
  if (subfolders > 1) return path.join(padded(index % subfolders, String(subfolders).length), name)
  return name
}

export function trainFilePath(dataset: DlioDataset, dataFolder: string, index: number): string {
  return path.join(trainFolder(dataFolder), trainFileRelativePath(dataset, index))
}

export function trainSubfolders(dataset: DlioDataset, dataFolder: string): string[] {
  const subfolders = dataset.num_subfolders_train ?? 0
  if (subfolders <= 1) return [trainFolder(dataFolder)]
  const width = String(subfolders).length
  return Array.from({length: subfolders}, (_, i) => path.join(trainFolder(dataFolder), padded(i, width)))
}

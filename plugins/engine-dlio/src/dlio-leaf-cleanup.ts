import {rmdir} from 'node:fs/promises'
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import type {DlioWorkload} from '@mlps/run-options'

/**
 * DLIO makes `checkpoint.checkpoint_folder` whatever the workflow, and it runs in the leaf, so a training
 * workload's relative `checkpoints/unet3d` becomes an empty folder in every run leaf. When the workload
 * does not checkpoint, remove that folder and its parents up to the leaf, each only while empty.
 */
export async function removeUnusedCheckpointFolder(leaf: string, workload: DlioWorkload | undefined): Promise<void> {
  const folder = workload?.checkpoint?.checkpoint_folder
  if (!folder || workload?.workflow?.checkpoint) return
  let dir = isAbsolute(folder) ? folder : resolve(leaf, folder)
  while (dir !== leaf && !relative(leaf, dir).startsWith('..') && !isAbsolute(relative(leaf, dir))) {
    try {
      await rmdir(dir)
    } catch {
      return
    }
    dir = dirname(dir)
  }
}


import {randomBytes} from 'node:crypto'
import {mkdir, rename, rm} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {writeJsonAtomic} from '../results/atomic-write.js'
import {timestampName} from '../results/run-leaf.js'
import {PRIVATE_FOLDER} from '../submit/collect-files.js'

export interface Removal {
  /** where the leaves went; undefined when purged */
  trash?: string
  leaves: string[]
}

/**
 * Move leaves (relative to the results dir) into `.mlps/trash/<time>-<id>/`
 * under the same relative paths, with a note of what was removed; or delete
 * them when purging. The trash is inside the results dir, so each move is a rename.
 */
export async function removeLeaves(resultsRoot: string, leaves: readonly string[], options: {purge: boolean; note: Record<string, unknown>}): Promise<Removal> {
  if (options.purge) {
    for (const leaf of leaves) await rm(join(resultsRoot, leaf), {recursive: true})
    return {leaves: [...leaves]}
  }
  const now = new Date()
  const trash = join(resultsRoot, PRIVATE_FOLDER, 'trash', `${timestampName(now)}-${randomBytes(3).toString('hex')}`)
  await mkdir(trash, {recursive: true})
  await writeJsonAtomic(join(trash, 'removed.json'), {removedAt: now.toISOString(), leaves, ...options.note})
  for (const leaf of leaves) {
    await mkdir(dirname(join(trash, leaf)), {recursive: true})
    await rename(join(resultsRoot, leaf), join(trash, leaf))
  }
  return {trash, leaves: [...leaves]}
}

import {readdir, rename, rmdir} from 'node:fs/promises'
import {dirname, join, relative, sep} from 'node:path'
import {nearestExisting} from '../util/nearest-existing.js'
import {commandDir, createRunLeaf, type LeafLocation} from './run-leaf.js'
import {PRIVATE_STATE_DIR} from './tree-sentinel.js'

/**
 * Runs refused before their work started (preflight, or a setup that failed)
 * keep their records here, outside the counted tree, laid out as the leaf
 * would have been so a person can tell what was refused.
 */
export function refusedRoot(resultsDir: string): string {
  return join(resultsDir, PRIVATE_STATE_DIR, 'refused')
}

function refusedLocation(location: LeafLocation): LeafLocation {
  return {...location, resultsDir: refusedRoot(location.resultsDir)}
}

/** A fresh leaf for a refused run's record under `.mlps/refused/`. */
export function createRefusedLeaf(location: LeafLocation, startedAt: Date): Promise<string> {
  return createRunLeaf(refusedLocation(location), startedAt)
}

/**
 * The first folder of a leaf's path in the counted tree that does not exist
 * yet: what creating the leaf adds, and so what taking it back removes.
 * Undefined when the command folder already exists.
 */
export async function firstMissingFolder(location: LeafLocation): Promise<string | undefined> {
  const target = commandDir(location)
  const existing = await nearestExisting(target)
  if (existing === target) return undefined
  const [next] = relative(existing, target).split(sep)
  return join(existing, next)
}

/**
 * Move a leaf setup made in the counted tree to `.mlps/refused/`, then remove
 * the folders made for it (from its command folder up to `firstMissing`)
 * where they stayed empty, so the counted tree is as it was before the run.
 */
export async function moveLeafToRefused(leaf: string, location: LeafLocation, startedAt: Date, firstMissing: string | undefined): Promise<string> {
  const target = await createRefusedLeaf(location, startedAt)
  // rename(2) replaces an empty folder, so the name createRunLeaf reserved is kept
  await rename(leaf, target)
  if (firstMissing) await removeEmptyUpTo(dirname(leaf), firstMissing)
  return target
}

async function removeEmptyUpTo(folder: string, last: string): Promise<void> {
  for (let current = folder; current === last || current.startsWith(last + sep); current = dirname(current)) {
    if ((await readdir(current)).length > 0) return
    await rmdir(current)
  }
}


import {cpSync, mkdirSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import register from '../../plugins/rules-v1/src/hooks/register.js'
import type {RulesEdition} from '../../src/registry/definitions.js'

// What the fuzz tests share: a replayable generator, the files of a tree in a
// fixed order (so a seed picks the same files on every machine), the v1.0
// edition, and real published v1.0 results to break.

export const FIXTURES = join(import.meta.dirname, '../../fixtures')

/** mulberry32: a seeded generator, so a failure replays */
export function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6D2B79F5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** the files below `dir`, relative to it and sorted */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter(name => statSync(join(dir, name)).isFile()).sort()
}

/** the MLPerf Storage v1.0 rules edition, as its plugin registers it */
export async function editionV1(): Promise<RulesEdition> {
  return (await register()).rulesEditions![0]
}

/**
 * Copies published v1.0 CLOSED results (organization, system) from fixtures/ into `root`, laid out as
 * published; with `descriptions`, each system's description too.
 */
export function copyPublishedV1(root: string, systems: ReadonlyArray<readonly [string, string]>, {descriptions}: {descriptions: boolean}): void {
  const published = join(FIXTURES, 'storage_results_v1.0/Closed')
  for (const [organization, system] of systems) {
    cpSync(join(published, organization, 'results', system), join(root, 'Closed', organization, 'results', system), {recursive: true})
    if (!descriptions) continue
    mkdirSync(join(root, 'Closed', organization, 'systems'), {recursive: true})
    cpSync(join(published, organization, 'systems', `${system}.json`), join(root, 'Closed', organization, 'systems', `${system}.json`))
  }
}

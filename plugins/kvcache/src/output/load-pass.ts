import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {MlpsError} from 'mlps'
import {type KvPass, rankFolder} from '../run-plan.js'
import type {RankOutcome, TrialOutcome} from './aggregate.js'
import {readRankResult} from './rank-result.js'

/** The first `kvcache_results_*.json` of a rank folder, as the reference takes it; undefined if none. */
async function rankResultsFile(dir: string): Promise<string | undefined> {
  try {
    return (await readdir(dir)).filter(name => /^kvcache_results_.*\.json$/.test(name)).sort()[0]
  } catch {
    return undefined
  }
}

/** Every rank's outcome for one pass under the run leaf: the parsed file, or why it is missing. */
export async function loadPass(leaf: string, pass: Pick<KvPass, 'option' | 'trial'>, ranks: number): Promise<TrialOutcome> {
  const outcomes: RankOutcome[] = []
  for (let rank = 0; rank < ranks; rank++) {
    const dir = join(leaf, rankFolder(pass, rank))
    const name = await rankResultsFile(dir)
    if (!name) {
      outcomes.push({rank, missing: `no kvcache_results_*.json in ${dir}`})
      continue
    }
    try {
      outcomes.push({rank, result: await readRankResult(join(dir, name))})
    } catch (error) {
      outcomes.push({rank, missing: error instanceof MlpsError ? error.render() : (error as Error).message})
    }
  }
  return {trial: pass.trial, ranks: outcomes}
}

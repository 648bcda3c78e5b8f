import type {Evidence, LoadedRun} from 'mlps'
import type {KvRunSummary} from '@mlps/result-formats'
import {toNumber, valueAt} from './facts.js'

/** One kv-cache pass as the run recorded it: an option's trial and the workload it ran. */
export interface KvPassFact {
  option: number
  trial: number
  params: Record<string, unknown>
}

/** A fact of a KV-cache run and the file that holds it. */
export interface Sourced<T> {
  value?: T
  evidence: Evidence
}

/** Where the run's facts are: the mlps record, else the reference tool's metadata. */
function recordFile(run: LoadedRun): string {
  return run.sources.record ?? run.sources.metadata ?? run.path
}

/**
 * A plan value: `parameters.effective.<key>` of an mlps record (the kvcache plugin's run plan),
 * else the reference metadata's `args.<snake_key>` or `parameters.<snake_key>`.
 */
function planValue(run: LoadedRun, key: string, referenceKey: string): Sourced<unknown> {
  if (run.sources.record) {
    const value = valueAt(run.parameters, key) ?? run.toolInjected[key]
    const where = valueAt(run.parameters, key) === undefined && run.toolInjected[key] !== undefined ? `parameters.toolInjected.${key}` : `parameters.effective.${key}`
    return {value, evidence: {file: recordFile(run), path: where, value}}
  }
  const args = (run.metadata?.args ?? {}) as Record<string, unknown>
  const fromArgs = args[referenceKey]
  const value = fromArgs ?? valueAt(run.parameters, referenceKey)
  return {value, evidence: {file: recordFile(run), path: fromArgs === undefined ? `parameters.${referenceKey}` : `args.${referenceKey}`, value}}
}

export const seedBase = (run: LoadedRun): Sourced<number> => {
  const fact = planValue(run, 'seedBase', 'seed')
  return {value: toNumber(fact.value), evidence: fact.evidence}
}

export const interOptionDelay = (run: LoadedRun): Sourced<number> => {
  const fact = planValue(run, 'interOptionDelaySeconds', 'inter_option_delay')
  return {value: toNumber(fact.value), evidence: fact.evidence}
}

export const cacheDir = (run: LoadedRun): Sourced<string> => {
  const fact = planValue(run, 'cacheDir', 'cache_dir')
  return {value: typeof fact.value === 'string' ? fact.value : undefined, evidence: fact.evidence}
}

/** The passes the run recorded (mlps records carry the whole plan; the reference metadata does not). */
export function passes(run: LoadedRun): Sourced<KvPassFact[]> {
  const list = run.parameters.passes
  const evidence = {file: recordFile(run), path: 'parameters.effective.passes'}
  if (!Array.isArray(list)) return {evidence}
  const value = list.flatMap(entry => {
    const pass = entry as {option?: unknown; trial?: unknown; params?: unknown}
    const option = toNumber(pass.option)
    const trial = toNumber(pass.trial)
    return option === undefined || trial === undefined || !pass.params || typeof pass.params !== 'object' ? [] : [{option, trial, params: pass.params as Record<string, unknown>}]
  })
  return {value, evidence}
}

export function summaryEvidence(run: LoadedRun, path: string, value?: unknown): Evidence {
  return {file: run.sources.summary ?? `${run.path}/summary.json`, path, value}
}

/** The summary's options as numbers, sorted. */
export function summaryOptions(summary: KvRunSummary): number[] {
  return Object.entries(summary.options).map(([key, option]) => option.option ?? Number(key)).filter(Number.isInteger).sort((a, b) => a - b)
}

/** `option_<O>/trial_<T>/rank_<N>/kvcache_results_*.json` present in the leaf, as "O/T/N". */
export function rankResultFiles(run: LoadedRun): Set<string> {
  const found = new Set<string>()
  for (const file of run.files) {
    const match = /^option_(\d+)\/trial_(\d+)\/rank_(\d+)\/kvcache_results_[^/]*\.json$/.exec(file)
    if (match) found.add(`${Number(match[1])}/${Number(match[2])}/${Number(match[3])}`)
  }
  return found
}

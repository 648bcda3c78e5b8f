import type {KvWorkloadParams} from './closed-options.js'
import type {UserTemplate} from './user-templates.js'

/** One kv-cache pass: an option's trial, run by every rank at once. */
export interface KvPass {
  option: number
  optionName: string
  /** 0-based, as the reference names the folders (trial_0 … trial_2) */
  trial: number
  params: KvWorkloadParams
  /** the model's KV bytes per token (models.ts), so an engine sizes blocks without its own model table */
  kvBytesPerToken: number
  /** simulated generation time per generated token for params.generationMode */
  generationSecondsPerToken: number
}

/**
 * What `mlps kvcache run` asks an engine to do; it travels as `ctx.options`, so an engine in another
 * plugin (native) reads the same plan as data. Folder names are fixed by the reference layout
 * (engines.md §3.4): `option_<O>/trial_<T>/rank_<N>/kvcache_results_<ts>.json` under the run leaf.
 */
export interface KvRunPlan {
  passes: KvPass[]
  /** total ranks (clients); each runs the full per-rank user count */
  ranks: number
  /** ranks per host */
  npernode: number
  hostCount: number
  /** rank N runs with seed seedBase + N */
  seedBase: number
  trialsPerOption: number
  /** seconds slept between options (not between trials of one option) */
  interOptionDelaySeconds: number
  /** seconds waited before and after each pass, as the official wrapper does (kvcache-py; CLOSED: 90 each) */
  passStartDelaySeconds: number
  passEndDelaySeconds: number
  /** storage tier root, rank N uses <cacheDir>/rank_<N>; undefined → <run leaf>/kvcache_cache */
  cacheDir?: string
  /** the simulated users' request shapes (user-templates.ts) */
  userTemplates: readonly UserTemplate[]
  /** native engine only: cap on a request's context tokens, for small blocks in quick runs */
  maxContextTokens?: number
}

export function passFolder(pass: Pick<KvPass, 'option' | 'trial'>): string {
  return `option_${pass.option}/trial_${pass.trial}`
}

export function rankFolder(pass: Pick<KvPass, 'option' | 'trial'>, rank: number): string {
  return `${passFolder(pass)}/rank_${rank}`
}

/** The per-rank results file name kv-cache.py is told to write (mlperf_wrapper's naming). */
export function rankResultsName(timestamp: string): string {
  return `kvcache_results_${timestamp}.json`
}

/** The stdout/stderr log prefix of one pass (mlpstorage-spec.md §4.2 step 6). */
export function passLogPrefix(pass: Pick<KvPass, 'option' | 'trial'>, runTimestamp: string): string {
  return `kvcache_opt${pass.option}_trial${pass.trial}_${runTimestamp}`
}

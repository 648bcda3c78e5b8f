import type {KvcacheRunOptions, KvPass} from '@mlps/run-options'

export type {KvPass} from '@mlps/run-options'

/**
 * The passes of `mlps kvcache run` and how its ranks are laid out: the run options
 * (@mlps/run-options) without what the command adds beside the plan (the model, the script).
 */
export type KvRunPlan = Omit<KvcacheRunOptions, 'model' | 'kvcacheScript' | 'python'>

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

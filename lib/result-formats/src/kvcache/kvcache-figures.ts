import type {LoadedRun} from 'mlps'
import type {ImpossibleFigure, MissingInputs, ThroughputBound} from '../bounds/throughput-possible.js'
import {kvRunSummaryOf} from './kvcache-summary.js'

/** measured figures may miss a bound computed from other measured figures by rounding, never by more */
const TOLERANCE = 0.02

/** where a KV-cache run keeps what its ranks' results files say, as the KV-cache reader parsed them */
export const KV_RANK_FIGURES_DOCUMENT = 'kvcache.rankFigures'

/** One rank's counts and rates in one trial of one option (`option_<O>/trial_<T>/rank_<N>/kvcache_results_*.json`). */
export interface KvRankFigures {
  file: string
  option: number
  trial: number
  rank: number
  totalTokens: number
  totalRequests: number
  elapsedSeconds: number
  avgThroughputTokensPerSecond: number
  requestsPerSecond: number
  storageReadGiB: number | null
  storageWrittenGiB: number | null
  storageReadGiBps: number | null
  storageWriteGiBps: number | null
}

interface KvThroughputInputs {
  ranks: KvRankFigures[]
}

const rankFiguresOf = (run: LoadedRun) => run.documents[KV_RANK_FIGURES_DOCUMENT] as KvRankFigures[] | undefined

export function kvThroughputInputs(run: LoadedRun): KvThroughputInputs | MissingInputs {
  const ranks = rankFiguresOf(run)
  if (!kvRunSummaryOf(run)) return {missing: ['the run summary']}
  if (!ranks || ranks.length === 0) return {missing: ['the ranks\' kvcache_results_*.json (their token and byte counts and durations)']}
  return {ranks}
}

/** The rates a rank's own counts and duration allow: each is a count over the elapsed time (kv-cache.py's own definitions). */
const RANK_RATES = [
  {key: 'avg_throughput_tokens_per_sec', unit: 'tokens/s', rate: (r: KvRankFigures) => r.avgThroughputTokensPerSecond, count: (r: KvRankFigures) => r.totalTokens, what: 'total_tokens'},
  {key: 'requests_per_second', unit: 'requests/s', rate: (r: KvRankFigures) => r.requestsPerSecond, count: (r: KvRankFigures) => r.totalRequests, what: 'total_requests'},
  {key: 'cache_stats.tier_storage_read_bandwidth_gbps', unit: 'GiB/s', rate: (r: KvRankFigures) => r.storageReadGiBps, count: (r: KvRankFigures) => r.storageReadGiB, what: 'tier_storage_kv_bytes_read_gb'},
  {key: 'cache_stats.tier_storage_write_bandwidth_gbps', unit: 'GiB/s', rate: (r: KvRankFigures) => r.storageWriteGiBps, count: (r: KvRankFigures) => r.storageWrittenGiB, what: 'tier_storage_kv_bytes_written_gb'},
] as const

/** The summary's sums over ranks (per trial, and their mean per option) and the rank counts they are bounded by. */
const SUMMARY_RATES = [
  {trialKey: 'avg_throughput_tokens_per_sec', optionKey: 'aggregated_avg_throughput_tokens_per_sec', unit: 'tokens/s', count: (r: KvRankFigures) => r.totalTokens, what: 'tokens'},
  {trialKey: 'read_bandwidth_gbps', optionKey: 'aggregated_read_bandwidth_gbps', unit: 'GiB/s', count: (r: KvRankFigures) => r.storageReadGiB, what: 'GiB read from storage'},
  {trialKey: 'write_bandwidth_gbps', optionKey: 'aggregated_write_bandwidth_gbps', unit: 'GiB/s', count: (r: KvRankFigures) => r.storageWrittenGiB, what: 'GiB written to storage'},
] as const

/**
 * KV-cache figures no run can report: a rank's tokens/s, requests/s or storage GiB/s above its own
 * tokens, requests or bytes over its elapsed time; a trial's sum over ranks in summary.json above the
 * sum of what its ranks' counts over their durations allow; an option's aggregate (the mean over its
 * trials) above the largest trial's ceiling.
 */
export function impossibleKvFigures(run: LoadedRun, inputs: KvThroughputInputs): ImpossibleFigure[] {
  const figures: ImpossibleFigure[] = []
  for (const rank of inputs.ranks) {
    for (const {key, unit, rate, count, what} of RANK_RATES) {
      const value = rate(rank)
      const total = count(rank)
      if (value === null || total === null) continue
      const ceiling = total / rank.elapsedSeconds
      if (value > ceiling * (1 + TOLERANCE)) {
        figures.push({message: `${rank.file}: ${key} = ${value} ${unit} is more than its ${what} = ${total} over its elapsed_time = ${rank.elapsedSeconds} s allow (${ceiling.toPrecision(6)} ${unit})`,
          evidence: [{file: rank.file, path: `summary.${key}`, value}]})
      }
    }
  }
  const summary = kvRunSummaryOf(run)!
  const summaryFile = run.sources.summary ?? `${run.path}/summary.json`
  for (const [key, option] of Object.entries(summary.options)) {
    const number = option.option ?? Number(key)
    const trials = (option as {trials?: unknown}).trials
    for (const {trialKey, optionKey, unit, count, what} of SUMMARY_RATES) {
      const perTrial: number[] = []
      for (const [index, trial] of (Array.isArray(trials) ? trials : []).entries()) {
        const trialNumber = typeof trial?.trial === 'number' ? trial.trial : index
        const ranks = inputs.ranks.filter(rank => rank.option === number && rank.trial === trialNumber)
        const counts = ranks.map(count)
        if (ranks.length === 0 || counts.some(value => value === null)) continue
        const ceiling = ranks.reduce((sum, rank, i) => sum + counts[i]! / rank.elapsedSeconds, 0)
        perTrial.push(ceiling)
        const value = trial?.[trialKey]
        if (typeof value === 'number' && value > ceiling * (1 + TOLERANCE)) {
          figures.push({message: `${summaryFile}: option ${number} trial ${trialNumber} ${trialKey} = ${value} ${unit} is more than its ${ranks.length} rank(s)' ${what} over their elapsed times allow (${ceiling.toPrecision(6)} ${unit})`,
            evidence: [{file: summaryFile, path: `options.${key}.trials[${index}].${trialKey}`, value}]})
        }
      }
      const aggregate = option[optionKey]
      if (typeof aggregate === 'number' && perTrial.length > 0 && aggregate > Math.max(...perTrial) * (1 + TOLERANCE)) {
        figures.push({message: `${summaryFile}: option ${number} ${optionKey} = ${aggregate} ${unit} is more than the mean over its trials can be: no trial's ranks allow more than ${Math.max(...perTrial).toPrecision(6)} ${unit}`,
          evidence: [{file: summaryFile, path: `options.${key}.${optionKey}`, value: aggregate}]})
      }
    }
  }
  return figures
}

/** A KV-cache run's tokens/s, requests/s and storage GiB/s against its ranks' counts and durations. */
export const kvThroughputBound: ThroughputBound<KvThroughputInputs> = {inputs: kvThroughputInputs, impossible: impossibleKvFigures}

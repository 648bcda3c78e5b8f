import type {KvRankResult} from './rank-result.js'

/** One rank's slot in a trial: its parsed results, or why there are none. */
export type RankOutcome = {rank: number; result: KvRankResult} | {rank: number; missing: string}

export interface TrialOutcome {
  trial: number
  ranks: RankOutcome[]
}

export interface TrialAggregate {
  trial: number
  /** sums over ranks; null when a rank is missing or a rank's file does not report the value */
  readBandwidthGiBps: number | null
  writeBandwidthGiBps: number | null
  avgThroughputTokensPerSecond: number | null
  storageThroughputTokensPerSecond: number | null
  /** max over ranks */
  p95LatencyMs: number | null
}

export interface OptionAggregate {
  option: number
  /** mean over trials of the per-trial sums over ranks (engines.md §3.5, `_aggregate_option_results`) */
  readBandwidthGiBps: number | null
  writeBandwidthGiBps: number | null
  avgThroughputTokensPerSecond: number | null
  storageThroughputTokensPerSecond: number | null
  /** max over ranks and trials of each rank's per-request storage I/O latency P95 */
  p95LatencyMs: number | null
  /** max over ranks and trials of each rank's per-request storage I/O latency P50 and P99, beside the P95 (the run's headline) */
  p50LatencyMs: number | null
  p99LatencyMs: number | null
  /** max over ranks and trials of the host-measured storage-tier read P95 (the reportgen column) */
  storageReadP95Ms: number | null
  /** max over ranks and trials of the device-level storage P95s (Rules 6.3.4.3) */
  deviceReadP95Ms: number | null
  deviceWriteP95Ms: number | null
  rankCount: number
  trialCount: number
  trials: TrialAggregate[]
  partialFailure: boolean
  missingFiles: string[]
  /** ranks whose working set never reached storage (storage_entries == 0), as "trial T rank N" */
  cpuTierRanks: string[]
  /** why a value above is null */
  notEvaluable: string[]
}

function sum(values: Array<number | null>): number | null {
  return values.some(value => value === null) ? null : (values as number[]).reduce((total, value) => total + value, 0)
}

function max(values: Array<number | null>): number | null {
  return values.length === 0 || values.some(value => value === null) ? null : Math.max(...values as number[])
}

function mean(values: Array<number | null>): number | null {
  const total = sum(values)
  return total === null || values.length === 0 ? null : total / values.length
}

/**
 * Aggregate one option like the reference (engines.md §3.5; rules.md §1.3, R 6.3.4): bandwidth and
 * tokens/s summed over ranks within a trial, then averaged over trials; P95s are the max over ranks
 * and trials. Unlike the reference, a missing rank makes every aggregate of the option null and the
 * option a partial failure: a missing rank is never averaged in as zero.
 */
export function aggregateOption(option: number, trials: readonly TrialOutcome[], expectedRanks: number): OptionAggregate {
  const missingFiles: string[] = []
  const cpuTierRanks: string[] = []
  const notEvaluable = new Set<string>()
  const present: KvRankResult[] = []
  const perTrial: TrialAggregate[] = trials.map(trial => {
    const results: KvRankResult[] = []
    for (let rank = 0; rank < expectedRanks; rank++) {
      const outcome = trial.ranks.find(entry => entry.rank === rank)
      if (!outcome || 'missing' in outcome) {
        missingFiles.push(`option_${option}/trial_${trial.trial}/rank_${rank}: ${outcome && 'missing' in outcome ? outcome.missing : 'no results'}`)
        continue
      }
      results.push(outcome.result)
      if (outcome.result.storageEntries === 0) cpuTierRanks.push(`trial ${trial.trial} rank ${rank}`)
      for (const reason of outcome.result.notReported) notEvaluable.add(reason)
    }
    const complete = results.length === expectedRanks
    const pick = (value: (result: KvRankResult) => number | null) => complete ? results.map(value) : [null]
    present.push(...results)
    return {
      trial: trial.trial,
      readBandwidthGiBps: sum(pick(r => r.storageReadBandwidthGiBps)),
      writeBandwidthGiBps: sum(pick(r => r.storageWriteBandwidthGiBps)),
      avgThroughputTokensPerSecond: sum(pick(r => r.avgThroughputTokensPerSecond)),
      storageThroughputTokensPerSecond: sum(pick(r => r.storageThroughputTokensPerSecond)),
      p95LatencyMs: max(pick(r => r.storageIoLatencyMs.p95)),
    }
  })
  const partialFailure = missingFiles.length > 0 || trials.length === 0
  if (partialFailure) notEvaluable.add(`${missingFiles.length} rank result${missingFiles.length === 1 ? '' : 's'} missing: the option is not aggregated`)
  const overTrials = (value: (trial: TrialAggregate) => number | null, combine: (values: Array<number | null>) => number | null) =>
    partialFailure ? null : combine(perTrial.map(value))
  const overRanks = (value: (result: KvRankResult) => number | null) => partialFailure ? null : max(present.map(value))
  return {
    option,
    readBandwidthGiBps: overTrials(t => t.readBandwidthGiBps, mean),
    writeBandwidthGiBps: overTrials(t => t.writeBandwidthGiBps, mean),
    avgThroughputTokensPerSecond: overTrials(t => t.avgThroughputTokensPerSecond, mean),
    storageThroughputTokensPerSecond: overTrials(t => t.storageThroughputTokensPerSecond, mean),
    p95LatencyMs: overTrials(t => t.p95LatencyMs, max),
    p50LatencyMs: overRanks(r => r.storageIoLatencyMs.p50),
    p99LatencyMs: overRanks(r => r.storageIoLatencyMs.p99),
    storageReadP95Ms: overRanks(r => r.tierLatencyMs.storage?.read?.p95 ?? null),
    deviceReadP95Ms: overRanks(r => r.storageReadDeviceP95Ms),
    deviceWriteP95Ms: overRanks(r => r.storageWriteDeviceP95Ms),
    rankCount: expectedRanks,
    trialCount: trials.length,
    trials: perTrial,
    partialFailure,
    missingFiles,
    cpuTierRanks,
    notEvaluable: [...notEvaluable],
  }
}

import type {KvRunPlan} from '../run-plan.js'
import {aggregateOption, type OptionAggregate} from './aggregate.js'
import {loadPass} from './load-pass.js'

export interface KvRunSummary {
  runTimestamp: string
  plan: Pick<KvRunPlan, 'ranks' | 'npernode' | 'hostCount' | 'trialsPerOption'>
  options: OptionAggregate[]
  partialFailure: boolean
}

/** Read every rank file the plan asked for under `leaf` and aggregate each option. */
export async function summarizeRun(leaf: string, plan: KvRunPlan, runTimestamp: string): Promise<KvRunSummary> {
  const options: OptionAggregate[] = []
  for (const option of [...new Set(plan.passes.map(pass => pass.option))]) {
    const trials = []
    for (const pass of plan.passes.filter(p => p.option === option)) trials.push(await loadPass(leaf, pass, plan.ranks))
    options.push(aggregateOption(option, trials, plan.ranks))
  }
  return {
    runTimestamp,
    plan: {ranks: plan.ranks, npernode: plan.npernode, hostCount: plan.hostCount, trialsPerOption: plan.trialsPerOption},
    options,
    partialFailure: options.some(option => option.partialFailure),
  }
}

/**
 * `summary.json` in the shape mlpstorage writes (engines.md §3.5, the published SAMSUNG file:
 * schema_version 1.0, snake_case, GiB/s in "gbps" keys), so existing readers take it, plus the
 * device and storage-read P95s Rules 6.3.4 and the v3.0 report ask for.
 */
export function summaryDocument(summary: KvRunSummary, trialFailures: Record<string, string>): Record<string, unknown> {
  return {
    schema_version: '1.0',
    run_datetime: summary.runTimestamp,
    npernode: summary.plan.npernode,
    host_count: summary.plan.hostCount,
    total_ranks: summary.plan.ranks,
    trials_per_option: summary.plan.trialsPerOption,
    options: Object.fromEntries(summary.options.map(option => [String(option.option), {
      option: option.option,
      aggregated_read_bandwidth_gbps: option.readBandwidthGiBps,
      aggregated_write_bandwidth_gbps: option.writeBandwidthGiBps,
      aggregated_avg_throughput_tokens_per_sec: option.avgThroughputTokensPerSecond,
      aggregated_storage_throughput_tokens_per_sec: option.storageThroughputTokensPerSecond,
      aggregated_p95_latency_ms: option.p95LatencyMs,
      aggregated_storage_read_p95_ms: option.storageReadP95Ms,
      aggregated_device_read_p95_ms: option.deviceReadP95Ms,
      aggregated_device_write_p95_ms: option.deviceWriteP95Ms,
      rank_count: option.rankCount,
      trial_count: option.trialCount,
      partial_failure: option.partialFailure,
      missing_files: option.missingFiles,
      cpu_tier_ranks: option.cpuTierRanks,
      not_evaluable: option.notEvaluable,
      trials: option.trials.map(trial => ({
        trial: trial.trial,
        read_bandwidth_gbps: trial.readBandwidthGiBps,
        write_bandwidth_gbps: trial.writeBandwidthGiBps,
        avg_throughput_tokens_per_sec: trial.avgThroughputTokensPerSecond,
        storage_throughput_tokens_per_sec: trial.storageThroughputTokensPerSecond,
        p95_latency_ms: trial.p95LatencyMs,
      })),
    }])),
    partial_failure: summary.partialFailure,
    trial_failures: trialFailures,
  }
}

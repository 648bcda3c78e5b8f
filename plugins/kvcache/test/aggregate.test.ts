import assert from 'node:assert/strict'
import {aggregateOption, type KvRankResult, rankResultFrom, type TrialOutcome} from '@mlps/plugin-kvcache'
import {earlyNvmeOnly, fixtureDocument, v3Constructed} from '../../../test/kvcache/fixtures.js'

/** The v3.0 sample with its figures scaled, as another rank/trial would report them. */
function rank(scale: number, p95: number, deviceReadP95 = 13554.67): KvRankResult {
  const document = fixtureDocument(v3Constructed)
  const stats = document.summary.cache_stats
  stats.tier_storage_read_bandwidth_gbps = (stats.tier_storage_read_bandwidth_gbps as number) * scale
  stats.tier_storage_write_bandwidth_gbps = (stats.tier_storage_write_bandwidth_gbps as number) * scale
  stats.storage_read_device_p95_ms = deviceReadP95
  document.summary.avg_throughput_tokens_per_sec = 800 * scale
  document.summary.storage_throughput_tokens_per_sec = 4 * scale
  ;(document.summary.storage_io_latency_ms as {p95: number}).p95 = p95
  return rankResultFrom(document, `scaled-${scale}.json`)
}

const base = rank(1, 0)
const READ = base.storageReadBandwidthGiBps!
const WRITE = base.storageWriteBandwidthGiBps!

describe('kvcache: aggregation of an option (the reference\'s _aggregate_option_results)', () => {
  const trials: TrialOutcome[] = [
    {trial: 0, ranks: [{rank: 0, result: rank(1, 1000)}, {rank: 1, result: rank(2, 3000)}]},
    {trial: 1, ranks: [{rank: 0, result: rank(1, 2000)}, {rank: 1, result: rank(1, 1500, 20_000)}]},
    {trial: 2, ranks: [{rank: 0, result: rank(3, 500)}, {rank: 1, result: rank(1, 900)}]},
  ]
  const option = aggregateOption(1, trials, 2)

  it('sums bandwidth over ranks within a trial, then averages over trials', () => {
    assert.deepEqual(option.trials.map(t => t.readBandwidthGiBps), [READ * 1 + READ * 2, READ * 1 + READ * 1, READ * 3 + READ * 1])
    assert.equal(option.readBandwidthGiBps, ((READ + 2 * READ) + (READ + READ) + (3 * READ + READ)) / 3)
    assert.equal(option.writeBandwidthGiBps, ((WRITE + 2 * WRITE) + (WRITE + WRITE) + (3 * WRITE + WRITE)) / 3)
  })

  it('sums and averages tokens/s the same way', () => {
    assert.equal(option.avgThroughputTokensPerSecond, ((800 + 1600) + (800 + 800) + (2400 + 800)) / 3)
    assert.equal(option.storageThroughputTokensPerSecond, ((4 + 8) + (4 + 4) + (12 + 4)) / 3)
  })

  it('takes P95 latency as the max over ranks and trials, never an average', () => {
    assert.deepEqual(option.trials.map(t => t.p95LatencyMs), [3000, 2000, 900])
    assert.equal(option.p95LatencyMs, 3000)
    assert.equal(option.deviceReadP95Ms, 20_000)
    assert.equal(option.storageReadP95Ms, 14210.9)
  })

  it('is complete: no missing files, no CPU-tier ranks, nothing unevaluable', () => {
    assert.equal(option.partialFailure, false)
    assert.deepEqual(option.missingFiles, [])
    assert.deepEqual(option.cpuTierRanks, [])
    assert.deepEqual(option.notEvaluable, [])
    assert.equal(option.trialCount, 3)
    assert.equal(option.rankCount, 2)
  })

  it('a missing rank makes the option a partial failure with no figures, never an average with a zero', () => {
    const missing = aggregateOption(2, [
      {trial: 0, ranks: [{rank: 0, result: rank(1, 1000)}, {rank: 1, result: rank(1, 1000)}]},
      {trial: 1, ranks: [{rank: 0, result: rank(1, 1000)}, {rank: 1, missing: 'no kvcache_results_*.json in /leaf/option_2/trial_1/rank_1'}]},
    ], 2)
    assert.equal(missing.partialFailure, true)
    assert.deepEqual(missing.missingFiles, ['option_2/trial_1/rank_1: no kvcache_results_*.json in /leaf/option_2/trial_1/rank_1'])
    assert.equal(missing.readBandwidthGiBps, null)
    assert.equal(missing.avgThroughputTokensPerSecond, null)
    assert.equal(missing.p95LatencyMs, null)
    assert.equal(missing.trials[1].readBandwidthGiBps, null)
    assert.equal(missing.trials[0].readBandwidthGiBps, 2 * READ)
    assert.ok(missing.notEvaluable.some(reason => /1 rank result missing/.test(reason)))
  })

  it('a rank absent from the outcome list counts as missing too', () => {
    const absent = aggregateOption(3, [{trial: 0, ranks: [{rank: 0, result: rank(1, 1000)}]}], 2)
    assert.equal(absent.partialFailure, true)
    assert.equal(absent.readBandwidthGiBps, null)
  })

  it('lists ranks whose working set stayed in the CPU tier', () => {
    const document = fixtureDocument(v3Constructed)
    document.summary.cache_stats.storage_entries = 0
    const cpuOnly = aggregateOption(2, [{trial: 0, ranks: [{rank: 0, result: rankResultFrom(document, 'cpu.json')}]}], 1)
    assert.deepEqual(cpuOnly.cpuTierRanks, ['trial 0 rank 0'])
  })

  it('on the real early-schema file: tokens/s and P95 aggregate, bandwidth is not evaluable (null, with the reason)', () => {
    const early = rankResultFrom(fixtureDocument(earlyNvmeOnly), 'early.json')
    const option = aggregateOption(1, [{trial: 0, ranks: [{rank: 0, result: early}, {rank: 1, result: early}]}], 2)
    assert.equal(option.avgThroughputTokensPerSecond, 2 * 13546.834377936013)
    assert.equal(option.p95LatencyMs, 2799.549391417533)
    assert.equal(option.deviceReadP95Ms, 293.52559285325685)
    assert.equal(option.readBandwidthGiBps, null)
    assert.ok(option.notEvaluable.some(reason => reason.includes('storage read bandwidth')))
    assert.equal(option.partialFailure, false)
  })
})

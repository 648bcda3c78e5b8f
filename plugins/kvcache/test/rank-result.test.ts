import assert from 'node:assert/strict'
import {readRankResult, rankResultFrom} from '@mlps/plugin-kvcache'
import {earlyGpuCpuNvme, earlyNvmeOnly, fixtureDocument, v3Constructed} from '../../../test/kvcache/fixtures.js'

describe('kvcache: one rank\'s kv-cache.py results', () => {
  it('reads the real early-schema file (nvme_* names) into the typed result', async () => {
    const result = await readRankResult(earlyNvmeOnly)
    assert.equal(result.schema, 'early')
    assert.equal(result.totalRequests, 549)
    assert.equal(result.totalTokens, 147313)
    assert.equal(result.elapsedSeconds, 10.874348640441895)
    assert.equal(result.avgThroughputTokensPerSecond, 13546.834377936013)
    assert.equal(result.storageIoLatencyMs.p95, 2799.549391417533)
    assert.equal(result.storageEntries, 434)
    assert.equal(result.gpuEntries, 15)
    assert.deepEqual(result.tierLatencyMs.storage, {
      read: {p50: 59.06918349501211, p95: 358.2194530514242, p99: 862.9684650640406},
      write: {p50: 53.41038949700305, p95: 303.1812848545084, p99: 487.407819908549},
    })
    assert.equal(result.storageReadDeviceP95Ms, 293.52559285325685)
    assert.equal(result.storageWriteDeviceP95Ms, 189.35884264719746)
    assert.equal(result.storageHealth, 'FAIL')
    assert.equal(result.seed, 42)
  })

  it('says the early schema has no storage bandwidth instead of reporting zero', async () => {
    const result = await readRankResult(earlyNvmeOnly)
    assert.equal(result.storageReadBandwidthGiBps, null)
    assert.equal(result.storageWriteBandwidthGiBps, null)
    assert.ok(result.notReported.some(reason => reason.includes('tier_storage_read_bandwidth_gbps')))
  })

  it('derives the early schema\'s storage tokens/s by kv-cache.py\'s own definition, and says so', async () => {
    const result = await readRankResult(earlyNvmeOnly)
    assert.equal(result.storageThroughputTokensPerSecond, 147313 / 553.2598749097524)
    assert.deepEqual(result.derived, ['storageThroughputTokensPerSecond = summary.total_tokens / total_storage_io_latency'])
  })

  it('reads the early file that has a CPU tier and no NVMe latency keys, listing what is missing', async () => {
    const result = await readRankResult(earlyGpuCpuNvme)
    assert.equal(result.schema, 'early')
    assert.equal(result.storageEntries, 158)
    assert.equal(result.cpuEntries, 156)
    assert.deepEqual(result.tierLatencyMs.cpu, {read: {p50: 5.403606999607291, p95: 15.70464664910105, p99: 20.526593357644742}})
    assert.equal(result.tierLatencyMs.storage, undefined)
    assert.equal(result.storageReadDeviceP95Ms, null)
    assert.ok(result.notReported.some(reason => reason.includes('nvme_read_p95_ms')))
    assert.equal(result.storageHealth, 'PASS')
  })

  it('reads the v3.0-schema sample (storage_* names) and its identities hold', async () => {
    const result = await readRankResult(v3Constructed)
    assert.equal(result.schema, 'v3.0')
    assert.equal(result.storageEntries, 1499)
    assert.equal(result.storageReadBandwidthGiBps, 4084.06 / 300.00014)
    assert.ok(Math.abs(result.storageReadBandwidthGiBps! - 13.61) < 0.01)
    assert.equal(result.storageReadBandwidthGiBps, result.storageBytesReadGiB! / result.elapsedSeconds)
    assert.equal(result.avgThroughputTokensPerSecond, result.totalTokens / result.elapsedSeconds)
    assert.equal(result.storageThroughputTokensPerSecond, 242651 / 52891)
    assert.equal(result.storageReadDeviceP95Ms, 13554.67)
    assert.equal(result.tierLatencyMs.storage?.read?.p95, 14210.9)
    assert.deepEqual(result.derived, [])
    assert.deepEqual(result.notReported, [])
  })

  it('rejects a file without a summary, naming the file and the field', () => {
    assert.throws(() => rankResultFrom({requests_completed: 3}, '/x/rank_0/kvcache_results_1.json'), (error: Error & {where?: string}) => {
      assert.equal(error.where, '/x/rank_0/kvcache_results_1.json')
      assert.match(error.message, /summary/)
      return true
    })
  })

  it('says a rank completed 0 requests (kv-cache.py exits 0 and writes its counters without a summary), not that it died', () => {
    // what the real kv-cache.py (mlcommons/storage@284ce72) wrote for a 1 s option-3 pass on this machine
    const idle = {requests_completed: 0, total_tokens_generated: 0, total_storage_io_latency: 0, total_generation_latency: 0, end_to_end_latencies: [],
      storage_latencies: [], generation_latencies: [], throughput_timeline: [], prefill_latencies: [], decode_latencies: [], multi_turn_cache_hits: 0, multi_turn_cache_misses: 0, seed: 42}
    assert.throws(() => rankResultFrom(idle, '/x/rank_0/kvcache_results_1.json'), (error: Error & {where?: string; fix?: string}) => {
      assert.equal(error.where, '/x/rank_0/kvcache_results_1.json')
      assert.match(error.message, /^completed 0 requests: kv-cache.py ended its pass before any request finished/)
      assert.doesNotMatch(`${error.message} ${error.fix}`, /died/)
      assert.match(error.fix ?? '', /--duration/)
      return true
    })
  })

  it('rejects cache stats of neither vocabulary', () => {
    const document = fixtureDocument(v3Constructed)
    delete document.summary.cache_stats.storage_entries
    assert.throws(() => rankResultFrom(document, 'f.json'), /neither storage_entries \(v3.0\) nor nvme_entries/)
  })
})

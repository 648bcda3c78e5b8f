import assert from 'node:assert/strict'
import {dotProduct, percentile, queryStatistics, recallStatistics, TopK, VectorSource} from '@mlps/plugin-engine-native'

describe('native vector store: statistics, recall and exact-search pieces', () => {
  it('interpolates percentiles as numpy.percentile does', () => {
    // numpy.percentile([1, 2, 3, 4], [50, 95, 99]) == [2.5, 3.85, 3.97]
    const sorted = [1, 2, 3, 4]
    assert.equal(percentile(sorted, 50), 2.5)
    assert.ok(Math.abs(percentile(sorted, 95) - 3.85) < 1e-12)
    assert.ok(Math.abs(percentile(sorted, 99) - 3.97) < 1e-12)
  })

  it('spreads a batch\'s time over its queries and measures the wall time from first send to last answer', () => {
    const stats = queryStatistics([
      {processId: 0, batchId: 0, timestamp: 100, batchSize: 4, batchTimeSeconds: 0.04},
      {processId: 1, batchId: 0, timestamp: 100.5, batchSize: 1, batchTimeSeconds: 0.5},
    ])
    assert.equal(stats.total_queries, 5)
    assert.equal(stats.total_time_seconds, 1)
    assert.equal(stats.throughput_qps, 5)
    assert.ok(Math.abs(stats.min_latency_ms - 10) < 1e-9)
    assert.ok(Math.abs(stats.max_latency_ms - 500) < 1e-9)
    assert.equal(stats.batch_count, 2)
  })

  it('computes recall@k per query against the exact answer', () => {
    const recall = recallStatistics([[1, 2, 3], [7, 8, 9]], [[3, 2, 1], [1, 2, 3]], 3)
    assert.deepEqual(recall.per_query_recall, [1, 0])
    assert.equal(recall.recall_at_k, 0.5)
    assert.equal(recall.min_recall, 0)
  })

  it('keeps the k nearest in order and computes dot products of any length', () => {
    const top = new TopK(3)
    for (const [distance, id] of [[5, 1], [1, 2], [4, 3], [0.5, 4], [9, 5]]) top.offer(distance, id)
    assert.deepEqual(top.result(), [4, 2, 3])
    const a = Float64Array.from([1, 2, 3, 4, 5])
    assert.equal(dotProduct(a, 0, a, 0, 5), 55)
    assert.equal(dotProduct(a, 1, a, 0, 3), 2 + 6 + 12)
  })

  it('generates the same vectors whatever the chunking, and queries distinct from the data', () => {
    const whole = new VectorSource(7, 'normal', 4).next(6)
    const chunked = new VectorSource(7, 'normal', 4)
    assert.deepEqual([...chunked.next(2), ...chunked.next(4)], [...whole])
    assert.notDeepEqual([...VectorSource.forQueries(7, 'normal', 4).next(1)], [...whole.subarray(0, 4)])
    for (const value of new VectorSource(1, 'zipfian', 8).next(100)) assert.ok(value >= 0)
  })
})

import assert from 'node:assert/strict'

import {blockMetrics, populationStdev, trainingMetric} from '@mlps/plugin-engine-native'

describe('native engine DLIO metrics', () => {
  it('computes a block\'s AU and v3 throughput with the first step excluded', () => {
    // 5 steps of 0.3 s compute; step 0 took 2 s in all (its load included); the block lasted 4 s.
    const metrics = blockMetrics({proc: [2, 0.45, 0.4, 0.35, 0.5], compute: [0.3, 0.3, 0.3, 0.3, 0.3], blockStart: 10, blockEnd: 14}, 7)
    const totalTime = 4 - 2
    assert.ok(Math.abs(metrics.au - (100 * 4 * 0.3) / totalTime) < 1e-12)
    assert.ok(Math.abs(metrics.throughput - (4 / totalTime) * 7) < 1e-12)
  })

  it('gives 0, not NaN, when no step is left in the window', () => {
    assert.deepEqual(blockMetrics({proc: [1], compute: [0.3], blockStart: 0, blockEnd: 1}, 7), {au: 0, throughput: 0})
  })

  it('averages AU over ranks, sums throughput over ranks, and derives MiB/s from the nominal record length', () => {
    const metric = trainingMetric(
      [
        [{au: 90, throughput: 10}, {au: 80, throughput: 12}],
        [{au: 94, throughput: 11}, {au: 84, throughput: 13}],
      ],
      146600628,
      0.9,
    )
    assert.deepEqual(metric.train_au_percentage, [92, 82])
    assert.deepEqual(metric.train_throughput_samples_per_second, [21, 25])
    assert.equal(metric.train_au_mean_percentage, 87)
    assert.equal(metric.train_au_stdev_percentage, 5)
    assert.equal(metric.train_au_meet_expectation, 'fail')
    assert.equal(metric.train_io_mean_MB_per_second, (23 * 146600628) / 1024 / 1024)
    assert.equal(metric.train_io_stdev_MB_per_second, (2 * 146600628) / 1024 / 1024)
  })

  it('reproduces the published v3 example: 319.5723 samples/s of unet3d = 44679.166 MiB/s', () => {
    const metric = trainingMetric([[{au: 92.52, throughput: 319.57230744458593}]], 146600628, 0.9)
    assert.ok(Math.abs(metric.train_io_mean_MB_per_second - 44679.16580465829) < 1e-6)
    assert.equal(metric.train_au_meet_expectation, 'success')
    assert.equal(populationStdev([1, 3]), 1)
  })
})

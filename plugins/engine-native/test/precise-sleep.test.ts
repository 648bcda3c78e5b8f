import assert from 'node:assert/strict'

import {preciseSleep} from '@mlps/plugin-engine-native'

describe('native engine precise sleep', () => {
  it('never returns before the requested 0.375 ms (dlrm compute) and reports its overshoot', function () {
    const requested = 0.000375
    const overshoots: number[] = []
    for (let i = 0; i < 200; i++) {
      const start = process.hrtime.bigint()
      preciseSleep(requested)
      overshoots.push(Number(process.hrtime.bigint() - start) / 1e9 - requested)
    }
    overshoots.sort((a, b) => a - b)
    const meanMicros = (overshoots.reduce((a, b) => a + b, 0) / overshoots.length) * 1e6
    const p99Micros = overshoots[Math.floor(overshoots.length * 0.99)] * 1e6
    this.test!.title += ` (mean overshoot ${meanMicros.toFixed(1)} µs, p99 ${p99Micros.toFixed(1)} µs)`
    assert.ok(overshoots[0] >= 0, 'no sleep ended early')
  })

  it('sleeps longer durations coarsely and still ends on time, never early', () => {
    for (const requested of [0.0015, 0.01]) {
      const start = process.hrtime.bigint()
      preciseSleep(requested)
      assert.ok(Number(process.hrtime.bigint() - start) / 1e9 >= requested)
    }
  })

  it('wakes early when its interrupt flag is raised', () => {
    const flag = new Int32Array(new SharedArrayBuffer(4))
    Atomics.store(flag, 0, 1)
    const start = process.hrtime.bigint()
    preciseSleep(5, flag, 0)
    assert.ok(Number(process.hrtime.bigint() - start) / 1e9 < 1)
  })
})

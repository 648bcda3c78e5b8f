import assert from 'node:assert/strict'
import {dlioProgress} from '../../plugins/engine-dlio/src/dlio-progress.js'
import type {Progress, ProgressUpdate} from '../../src/ux/progress.js'

function recorder(): {progress: Progress; updates: ProgressUpdate[]} {
  const updates: ProgressUpdate[] = []
  return {updates, progress: {mode: 'plain', stage() {}, update: update => { updates.push(structuredClone(update)) }, log() {}, done() {}}}
}

describe('DLIO output as progress', () => {
  it('datagen: ranks report the global file index they wrote, interleaved; the bar follows the largest', () => {
    const {progress, updates} = recorder()
    const follow = dlioProgress(progress, undefined)
    for (const line of ['Generating NPZ Data: [=>---] 0.0% 2 of 40', 'Generating NPZ Data: [=>---] 0.0% 1 of 40', 'Generating NPZ Data: [====>] 7.5% 3 of 40']) follow(line)
    assert.deepEqual(updates.map(u => [u.done, u.total]), [[2, 40], [2, 40], [3, 40]])
  })

  it('training: epoch starts and block ends move the bar over all epochs, with AU and throughput alongside', () => {
    const {progress, updates} = recorder()
    const follow = dlioProgress(progress, {model: {name: 'unet3d'}, framework: 'pytorch', workflow: {generate_data: false, train: true, checkpoint: false}, train: {epochs: 2, computation_time: 0.1}})
    follow('[OUTPUT] 2026-07-04T06:45:12.339576 Starting epoch 1: 991 steps expected')
    follow('[OUTPUT] 2026-07-04T06:48:06.736313 Epoch 1 - Block 1 [Training] Accelerator Utilization [AU] (%): 93.8631')
    follow('[OUTPUT] 2026-07-04T06:48:06.716238 Ending block 1 - 991 steps completed in 174.38 s')
    assert.deepEqual(updates.map(u => [u.done, u.total]), [[0, 1982], [991, 1982]])
    assert.equal(updates.at(-1)?.fields?.AU, '93.9%')
  })
})

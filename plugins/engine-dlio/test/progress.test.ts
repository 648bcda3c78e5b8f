import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {repoRoot} from '../../../test/helpers/cli.js'
import {dlioProgress} from '@mlps/plugin-engine-dlio'
import type {Progress, ProgressUpdate} from '../../../src/ux/progress.js'

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

  it('datagen: follows DLIO v3.0\'s real line (rank 0 only, at DLIO_LOG_LEVEL=info) and reaches 100 % when DLIO exits 0', () => {
    const {progress, updates} = recorder()
    const follow = dlioProgress(progress, undefined)
    // as DLIO 3.0.0 prints it: its logger's prefix, a carriage return, then the bar; the last line is rank 0's last file
    for (const line of ['[INFO] \r[INFO] 2026-12-01T09:35:22.171275 Generating NPZ Data: [==>------] 0.9% 1 of 112 ', '[INFO] \r[INFO] 2026-12-01T09:35:22.181357 Generating NPZ Data: [=======>-] 99.1% 111 of 112 ']) follow(line)
    assert.deepEqual(updates.map(u => [u.done, u.total]), [[1, 112], [111, 112]])
    follow.finish(true)
    assert.deepEqual(updates.map(u => [u.done, u.total]), [[1, 112], [111, 112], [112, 112]])
  })

  it('datagen at DLIO\'s default log level prints no bar line: the bar still completes at exit 0, with DLIO\'s own total', () => {
    const {progress, updates} = recorder()
    const follow = dlioProgress(progress, {model: {name: 'unet3d'}, framework: 'pytorch', workflow: {generate_data: true, train: false, checkpoint: false},
      dataset: {data_folder: '/d', format: 'npz', num_files_train: 40, num_files_eval: 2, num_samples_per_file: 1, record_length_bytes: 1}})
    follow('[OUTPUT] 2026-12-01T09:35:09.922425 Generation done')
    assert.equal(updates.length, 0)
    follow.finish(true)
    assert.deepEqual(updates.map(u => [u.done, u.total]), [[42, 42]])
    const failed = recorder()
    const again = dlioProgress(failed.progress, undefined)
    again('Generating NPZ Data: [=>---] 2.5% 1 of 40')
    again.finish(false)
    assert.deepEqual(failed.updates.map(u => [u.done, u.total]), [[1, 40]], 'a failed datagen stays where it got')
  })

  it('training: "Starting epoch N: Overriding number of steps to X." (train.total_training_steps) starts the bar like "X steps expected"', () => {
    const {progress, updates} = recorder()
    const follow = dlioProgress(progress, {model: {name: 'unet3d'}, framework: 'pytorch', workflow: {generate_data: false, train: true, checkpoint: false}, train: {epochs: 2, computation_time: 0.1}})
    assert.equal(follow('[OUTPUT] 2026-12-01T09:35:47.153998 Starting epoch 1: Overriding number of steps to 3.')?.kind, 'epochStart')
    follow('[OUTPUT] 2026-12-01T09:35:48.409181 Ending epoch 1 - 3 steps completed in 1.26 s')
    assert.deepEqual(updates.map(u => [u.done, u.total]), [[0, 6], [3, 6]])
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

  it('training, on a real DLIO v3.0 log: samples/s and MiB/s so far are the mean over the epochs so far, not reset when an epoch starts', () => {
    const {progress, updates} = recorder()
    const unet3d = {data_folder: '/d', format: 'npz' as const, num_files_train: 56000, num_samples_per_file: 1, record_length_bytes: 146600628}
    const follow = dlioProgress(progress, {model: {name: 'unet3d'}, framework: 'pytorch', workflow: {generate_data: false, train: true, checkpoint: false}, train: {epochs: 2, computation_time: 0.162}, dataset: unet3d})
    const epoch1 = readFileSync(join(repoRoot, 'fixtures/dlio/v3.0/alluxio-unet3d-b200-log/dlio.log'), 'utf8').split('\n').filter(line => line.includes('poch 1') || line.includes('block 1'))
    for (const line of epoch1) follow(line)
    const figures = (update: ProgressUpdate | undefined) => Object.fromEntries((update?.figures ?? []).map(f => [f.unit, f.value]))
    assert.deepEqual(figures(updates.at(-1)), {'samples/s': 324.2109, 'MiB/s': 324.2109 * 146600628 / 2 ** 20})
    follow('[OUTPUT] 2026-07-04T06:48:06.800000 Starting epoch 2: 991 steps expected')
    assert.equal(figures(updates.at(-1))['samples/s'], 324.2109, 'still the first epoch\'s figure as the second starts')
    follow('[OUTPUT] 2026-07-04T06:51:00.736489 Epoch 2 - Block 1 [Training] Throughput (samples/second): 300.0000')
    follow('[OUTPUT] 2026-07-04T06:51:00.736313 Epoch 2 - Block 1 [Training] Accelerator Utilization [AU] (%): 90.1369')
    follow('[OUTPUT] 2026-07-04T06:51:00.741204 Ending epoch 2 - 991 steps completed in 174.40 s')
    assert.equal(figures(updates.at(-1))['samples/s'], (324.2109 + 300) / 2)
    assert.equal(updates.at(-1)?.fields?.AU, '92.0%', 'AU so far: the mean of the epochs')
  })
})

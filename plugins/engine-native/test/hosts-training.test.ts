import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {generateTrainingData, trainHostRanks, writeTrainingOutputs} from '@mlps/plugin-engine-native'
import {DlioLog} from '../src/training/dlio-log.js'
import {scratchSpace, smallUnet3d} from '../../../test/engine-native/workloads.js'

const quiet = {output() {}, info() {}, warning() {}, error() {}}

/** An in-process stand-in for the rendezvous between two "hosts": a barrier of two parties per name. */
function pairedBarrier(): (name: string) => Promise<void> {
  const waiting = new Map<string, () => void>()
  return name => new Promise(resolve => {
    const other = waiting.get(name)
    if (other) {
      waiting.delete(name)
      other()
      resolve()
    } else {
      waiting.set(name, resolve)
    }
  })
}

describe('native training split over two hosts (both in this process, met through a stand-in rendezvous)', function () {
  this.timeout(120_000)
  const scratch = scratchSpace()
  after(scratch.remove)
  const workload = smallUnet3d(scratch.dir('hosts-data'))
  before(() => generateTrainingData({workload, concurrency: 2}))

  it('every step waits for the other host (DLIO\'s barrier every step across all ranks), each epoch starts and ends together, and the outputs cover both hosts\' ranks', async () => {
    const meet = pairedBarrier()
    const stepMeet = pairedBarrier()
    const steps: Record<string, number[]> = {a: [], b: []}
    const barriers: string[] = []
    const host = (name: 'a' | 'b', ranks: number[]) => trainHostRanks({
      workload, accelerators: ranks.length, ranks, totalRanks: 3, hostname: name, log: quiet,
      meet: barrier => { if (name === 'a') barriers.push(barrier); return meet(barrier) },
      meetStep: step => { steps[name].push(step); return stepMeet(`step ${step}`) },
    })
    const [a, b] = await Promise.all([host('a', [0, 2]), host('b', [1])])
    // 32 samples / batch 4 / 3 ranks = 2 steps per epoch, 2 epochs: each host met the other at 4 steps, in order
    assert.equal(a.stepsPerEpoch, 2)
    assert.deepEqual(steps.a, [1, 2, 3, 4])
    assert.deepEqual(steps.b, [1, 2, 3, 4])
    assert.deepEqual(barriers, ['epoch 1 start', 'epoch 1 end', 'epoch 2 start', 'epoch 2 end'])
    const outputDir = scratch.dir('hosts-out')
    const result = await writeTrainingOutputs({workload, outputDir, log: new DlioLog(join(outputDir, 'dlio.log')), hosts: [a, b]})
    assert.equal(result.summary.num_hosts, 2)
    assert.equal(result.summary.num_accelerators, 3)
    assert.deepEqual(result.summary.host_memory_GB.length, 2)
    for (const [rank, name] of [[0, 'a'], [1, 'b'], [2, 'a']] as const) {
      assert.equal((JSON.parse(readFileSync(join(outputDir, `${rank}_output.json`), 'utf8')) as {hostname: string}).hostname, name)
    }
    // throughput summed over the three ranks of both hosts, AU averaged over them (DLIO's end_run)
    const perRank = [0, 1, 2].map(rank => JSON.parse(readFileSync(join(outputDir, `${rank}_output.json`), 'utf8')) as Record<string, {throughput: {block1: number}; au: {block1: number}}>)
    const epoch1 = perRank.map(rank => rank['1'])
    assert.ok(Math.abs(result.summary.metric.train_throughput_samples_per_second[0] - epoch1.reduce((sum, e) => sum + e.throughput.block1, 0)) < 1e-9)
    assert.ok(Math.abs(result.summary.metric.train_au_percentage[0] - epoch1.reduce((sum, e) => sum + e.au.block1, 0) / 3) < 1e-9)
  })
})

import assert from 'node:assert/strict'
import {checkpointHostsView, type HostReport, kvcacheHostsView, trainingHostsView} from '@mlps/plugin-engine-native'

const training = (epoch: number, step: number, samplesPerSecond: number, auPercent: number) =>
  ({epoch, epochs: 2, step, stepsPerEpoch: 10, samplesPerSecond, mibPerSecond: samplesPerSecond / 8, auPercent, etaSeconds: 20 - step})

describe('the live view of a native run over hosts, from the hosts\' reports', () => {
  it('training: a line per host with its steps, samples so far, figures, epoch and state; the run sums the rates, averages AU over accelerators and counts the slowest host\'s steps', () => {
    const reports: HostReport[] = [
      {host: 'node01', ranks: [0, 2], state: 'running', progress: training(2, 3, 200, 90)},
      {host: 'node02', ranks: [1], state: 'running', progress: training(2, 1, 100, 60)},
    ]
    const update = trainingHostsView(4)(reports)!
    assert.equal(update.done, 11)
    assert.equal(update.total, 20)
    assert.deepEqual(update.figures, [{value: 300, unit: 'samples/s'}, {value: 37.5, unit: 'MiB/s'}, {name: 'AU', value: 80, unit: '%'}])
    assert.deepEqual(update.fields, {epoch: '2/2'})
    assert.equal(update.etaSeconds, 19)
    assert.deepEqual(update.hosts?.map(host => [host.host, host.done, host.total, host.fields]), [
      ['node01', 13, 20, {epoch: '2/2', samples: '104', state: 'running'}],
      ['node02', 11, 20, {epoch: '2/2', samples: '44', state: 'running'}],
    ])
    assert.deepEqual(update.hosts?.[1].figures, [{value: 100, unit: 'samples/s'}, {value: 12.5, unit: 'MiB/s'}, {name: 'AU', value: 60, unit: '%'}])
  })

  it('training: nothing until a host reported; a host that has not reported yet is shown starting and holds the run\'s count at 0', () => {
    assert.equal(trainingHostsView(4)([{host: 'a', ranks: [0], state: 'starting'}]), undefined)
    const update = trainingHostsView(4)([{host: 'a', ranks: [0], state: 'running', progress: training(1, 5, 50, 99)}, {host: 'b', ranks: [1], state: 'starting'}])!
    assert.equal(update.done, 0)
    assert.deepEqual(update.hosts?.[1], {host: 'b', done: 0, total: 20, fields: {state: 'starting'}})
  })

  it('checkpointing: bytes per host and summed, with the checkpoint each host is at', () => {
    const update = checkpointHostsView([
      {host: 'a', ranks: [0], state: 'running', progress: {phase: 'save', checkpoint: 2, checkpoints: 2, bytesDone: 300, bytesTotal: 400}},
      {host: 'b', ranks: [1], state: 'done', progress: {phase: 'load', checkpoint: 1, checkpoints: 1, bytesDone: 400, bytesTotal: 400}},
    ])!
    assert.deepEqual([update.done, update.total, update.unit, update.fields], [700, 800, 'bytes', {checkpoint: 'write 2/2'}])
    assert.deepEqual(update.hosts?.map(host => [host.host, host.done, host.fields]), [['a', 300, {checkpoint: 'write 2/2', state: 'running'}], ['b', 400, {checkpoint: 'read 1/1', state: 'done'}]])
  })

  it('KV cache: requests per host in the current pass and their rate, summed over hosts', () => {
    const update = kvcacheHostsView([
      {host: 'a', ranks: [0], state: 'running', progress: {pass: 1, passes: 2, requests: 30, seconds: 3}},
      {host: 'b', ranks: [1], state: 'running', progress: {pass: 1, passes: 2, requests: 60, seconds: 3}},
    ])!
    assert.deepEqual([update.done, update.figures, update.fields], [90, [{value: 30, unit: 'requests/s'}], {pass: '1/2', requests: '90'}])
    assert.deepEqual(update.hosts?.map(host => [host.host, host.done, host.figures, host.fields]), [
      ['a', 30, [{value: 10, unit: 'requests/s'}], {pass: '1/2', state: 'running'}],
      ['b', 60, [{value: 20, unit: 'requests/s'}], {pass: '1/2', state: 'running'}],
    ])
  })
})

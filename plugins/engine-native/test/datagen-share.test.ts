import assert from 'node:assert/strict'
import {existsSync, statSync, writeFileSync} from 'node:fs'

import {datagenHostsView, datagenShare, formatForDataset, generateTrainingData, trainFilePath} from '@mlps/plugin-engine-native'
import {scratchSpace, smallUnet3d} from '../../../test/engine-native/workloads.js'

describe('native datagen spread over hosts', () => {
  const scratch = scratchSpace()
  after(scratch.remove)

  it('deals files as DLIO\'s ranks generate them: rank r of P writes r, r + P, r + 2P, ...', () => {
    assert.deepEqual(datagenShare([0, 3], 4, 10), [0, 3, 4, 7, 8])
    assert.deepEqual(datagenShare([1], 4, 10), [1, 5, 9])
    assert.deepEqual(datagenShare([5], 6, 3), [])
  })

  it('a share writes only its files, leaves the others\' half-written .partial files alone, and the shares together make the whole dataset', async () => {
    const dataFolder = scratch.dir('datagen-share')
    const workload = smallUnet3d(dataFolder, {num_files_train: 10, num_subfolders_train: 2})
    const format = await formatForDataset(workload.dataset)
    // another host is writing file 1 right now
    const othersPartial = `${trainFilePath(workload.dataset, dataFolder, 1)}.partial`
    const first = await generateTrainingData({workload, share: datagenShare([0, 2], 3, 10), concurrency: 2})
    writeFileSync(othersPartial, 'being written by another host')
    const again = await generateTrainingData({workload, share: datagenShare([0, 2], 3, 10), concurrency: 2})
    assert.deepEqual([first.filesTotal, first.filesWritten, again.filesKept], [7, 7, 7])
    assert.ok(existsSync(othersPartial), 'another host\'s .partial file was removed')
    for (const i of [1, 4, 7]) assert.ok(!existsSync(trainFilePath(workload.dataset, dataFolder, i)), `file ${i} is not this share's`)
    const rest = await generateTrainingData({workload, share: datagenShare([1], 3, 10), concurrency: 1})
    assert.deepEqual([rest.filesTotal, rest.filesWritten], [3, 3])
    for (let i = 0; i < 10; i++) assert.equal(statSync(trainFilePath(workload.dataset, dataFolder, i)).size, format.plannedFileSize(i))
  })

  it('the live view: each host\'s bytes, files and rate; the run\'s summed', () => {
    const progress = (filesDone: number, bytesDone: number) => ({filesDone, filesTotal: 4, filesKept: 0, bytesDone, bytesTotal: 400, bytesPerSecond: 2 ** 20, etaSeconds: 1})
    const update = datagenHostsView([{host: 'a', ranks: [0], state: 'running', progress: progress(1, 100)}, {host: 'b', ranks: [1], state: 'done', progress: progress(4, 400)}])!
    assert.deepEqual([update.done, update.total, update.unit, update.fields, update.figures], [500, 800, 'bytes', {files: '5/8'}, [{value: 2, unit: 'MiB/s'}]])
    assert.deepEqual(update.hosts?.map(host => [host.host, host.done, host.total, host.fields]), [['a', 100, 400, {files: '1/4', state: 'running'}], ['b', 400, 400, {files: '4/4', state: 'done'}]])
  })
})

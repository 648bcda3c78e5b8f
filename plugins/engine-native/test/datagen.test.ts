import assert from 'node:assert/strict'
import {readdirSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {type DatagenProgress, formatForDataset, generateTrainingData, trainFilePath} from '@mlps/plugin-engine-native'
import {scratchSpace, smallUnet3d} from '../../../test/engine-native/workloads.js'

function filesUnder(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: true}).filter(entry => entry.isFile()).map(entry => join(entry.parentPath, entry.name))
}

describe('native engine datagen', () => {
  const scratch = scratchSpace()
  after(scratch.remove)
  it('writes every planned file, then resumes: kept files are not rewritten, short ones are', async () => {
    const dataFolder = scratch.dir('datagen')
    const workload = smallUnet3d(dataFolder, {num_files_train: 12, num_subfolders_train: 3})
    const format = await formatForDataset(workload.dataset)
    const events: DatagenProgress[] = []
    const first = await generateTrainingData({workload, concurrency: 2, onProgress: progress => events.push(progress)})
    assert.deepEqual([first.filesWritten, first.filesKept], [12, 0])
    for (let i = 0; i < 12; i++) assert.equal(statSync(trainFilePath(workload.dataset, dataFolder, i)).size, format.plannedFileSize(i))
    assert.equal(readdirSync(join(dataFolder, 'train')).sort().join(','), '0,1,2')
    const last = events.at(-1) as DatagenProgress
    assert.deepEqual([last.filesDone, last.filesTotal, last.bytesDone, last.etaSeconds], [12, 12, first.bytesTotal, 0])
    assert.ok(last.bytesPerSecond > 0)

    const again = await generateTrainingData({workload, concurrency: 2})
    assert.deepEqual([again.filesWritten, again.filesKept, again.bytesWritten], [0, 12, 0])

    const damaged = trainFilePath(workload.dataset, dataFolder, 5)
    truncateSync(damaged, 1000)
    writeFileSync(`${trainFilePath(workload.dataset, dataFolder, 6)}.partial`, 'left over by a crash')
    const repaired = await generateTrainingData({workload, concurrency: 2})
    assert.deepEqual([repaired.filesWritten, repaired.filesKept], [1, 11])
    assert.equal(statSync(damaged).size, format.plannedFileSize(5))
    assert.deepEqual(filesUnder(join(dataFolder, 'train')).filter(file => file.endsWith('.partial')), [])
  })

  it('stops within a second when aborted and leaves no .partial file', async () => {
    const dataFolder = scratch.dir('datagen-abort')
    const workload = smallUnet3d(dataFolder, {num_files_train: 400, record_length_bytes: 8 << 20, record_length_bytes_stdev: 0})
    const controller = new AbortController()
    let abortedAt = 0
    const run = generateTrainingData({
      workload,
      concurrency: 2,
      signal: controller.signal,
      onProgress: progress => {
        if (progress.filesDone >= 2 && !abortedAt) {
          abortedAt = performance.now()
          controller.abort()
        }
      },
    })
    await assert.rejects(run, {name: 'AbortError'})
    const stopMs = performance.now() - abortedAt
    assert.ok(stopMs < 1000, `stopped ${stopMs.toFixed(0)} ms after the abort`)
    const left = filesUnder(join(dataFolder, 'train'))
    assert.deepEqual(left.filter(file => file.endsWith('.partial')), [])
    assert.ok(left.length < 400)
  })

  it('checks free space first and names the folder, needed and available bytes', async () => {
    const dataFolder = scratch.dir('datagen-space')
    // 4096 records of 1 GiB in one TFRecord file: planned, never written.
    const workload = smallUnet3d(dataFolder, {format: 'tfrecord', num_files_train: 1, num_samples_per_file: 4096, record_length_bytes: 2 ** 30, record_length_bytes_stdev: 0})
    await assert.rejects(generateTrainingData({workload}), (error: Error) => {
      assert.equal(error.name, 'InsufficientSpaceError')
      assert.match(error.message, new RegExp(`not enough free space in ${join(dataFolder, 'train')}: the dataset still needs \\d+ bytes .* only \\d+ bytes`))
      return true
    })
    assert.deepEqual(filesUnder(join(dataFolder, 'train')), [])
  })
})

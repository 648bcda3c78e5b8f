import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {mapWithConcurrency} from 'mlps/unstable'

import {formatForDataset} from '../formats/format-for-dataset.js'
import {abortErrorFrom} from '../io/abort.js'
import {startModuleWorker} from '../io/module-worker.js'
import {reviveThreadError} from '../io/thread-error.js'
import type {DatagenResult, GenerateTrainingDataOptions} from '../training/datagen.js'
import type {DatagenWorkerMessage} from '../training/datagen-protocol.js'
import {DatagenTally} from '../training/datagen-tally.js'
import {type ObjectTarget, openTarget, trainObjectKey} from './object-target.js'
import type {ObjectDatagenWorkerData} from './object-datagen-worker.js'
import {type StoppedMessage, stopUploadingThreads} from './upload-stop.js'

const HEAD_CONCURRENCY = 64

/**
 * Where writers stage a file before uploading it: the formats write through a file descriptor (and
 * patch CRCs in place), so each file is written whole, then sent. /dev/shm keeps that in memory.
 */
function stagingRoot(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK)
    return '/dev/shm'
  } catch {
    return os.tmpdir()
  }
}

/**
 * Training datagen into a bucket: the objects DLIO's files would be (same names under the prefix,
 * same sizes and bytes as on a filesystem), written by parallel worker threads; with a share, only
 * those files (a host's part of a datagen over hosts). Resumable: an object whose size equals its
 * planned size is kept. An object appears only when its upload completes, so an interrupted run
 * leaves no short object under a final name, and its open multipart uploads are aborted.
 */
export async function generateTrainingObjects(options: GenerateTrainingDataOptions & {target: ObjectTarget}): Promise<DatagenResult> {
  const {workload, signal, onProgress, target} = options
  const dataset = workload.dataset
  const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism())
  const started = performance.now()
  if (signal?.aborted) throw abortErrorFrom(signal, 'datagen')

  const format = await formatForDataset(dataset)
  const indices = options.share ?? Array.from({length: dataset.num_files_train}, (_, i) => i)
  const plannedSizes = indices.map(i => format.plannedFileSize(i))
  const store = await openTarget(target, HEAD_CONCURRENCY)
  let existingSizes: (number | undefined)[]
  try {
    await store.headBucket()
    existingSizes = await mapWithConcurrency(indices, HEAD_CONCURRENCY, async i => (await store.headObject(trainObjectKey(dataset, target, i)))?.size)
  } finally {
    store.close()
  }
  const pending = indices.filter((_, at) => existingSizes[at] !== plannedSizes[at])
  const bytesTotal = plannedSizes.reduce((sum, size) => sum + size, 0)
  const bytesPending = pending.reduce((sum, i) => sum + format.plannedFileSize(i), 0)
  const filesKept = indices.length - pending.length
  const tally = new DatagenTally({filesTotal: indices.length, filesKept, bytesTotal, bytesPending}, onProgress)
  if (pending.length > 0) {
    const staging = fs.mkdtempSync(path.join(stagingRoot(), 'mlps-datagen-'))
    try {
      await runObjectWriters({workload, target, staging, pending, writers: Math.min(concurrency, pending.length), signal}, bytes => tally.fileWritten(bytes))
    } finally {
      fs.rmSync(staging, {recursive: true, force: true})
    }
  }
  return {
    trainFolder: `${target.uri}/train`, filesTotal: indices.length, filesWritten: pending.length, filesKept, bytesTotal, bytesWritten: tally.bytesWritten,
    seconds: (performance.now() - started) / 1000,
  }
}

interface WritersPlan {
  workload: GenerateTrainingDataOptions['workload']
  target: ObjectTarget
  staging: string
  pending: number[]
  writers: number
  signal: AbortSignal | undefined
}

/** The writer threads, until each is idle; a failure or an abort stops them all, each first aborting the upload it had open. */
function runObjectWriters(plan: WritersPlan, onFile: (bytes: number) => void): Promise<void> {
  const queue = new Int32Array(new SharedArrayBuffer(plan.pending.length * 4))
  queue.set(plan.pending)
  const data: ObjectDatagenWorkerData = {
    workload: plan.workload, target: plan.target, staging: plan.staging, pending: queue.buffer as SharedArrayBuffer, nextPending: new SharedArrayBuffer(4),
  }
  const workers = Array.from({length: plan.writers}, () => startModuleWorker(import.meta.url, 'object-datagen-worker', {workerData: data}))
  const {signal} = plan
  return new Promise<void>((resolve, reject) => {
    let idle = 0
    let settled = false
    const stop = async (error: Error | undefined): Promise<void> => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      const problems = error ? await stopUploadingThreads(workers, plan.target.uri) : []
      await Promise.all(workers.map(worker => worker.terminate()))
      if (error) {
        if (problems.length > 0) error.message += `; ${problems.join('; ')}`
        reject(error)
      } else {
        resolve()
      }
    }
    const onAbort = (): void => void stop(abortErrorFrom(signal as AbortSignal, 'datagen'))
    signal?.addEventListener('abort', onAbort, {once: true})
    for (const worker of workers) {
      worker.on('message', (message: DatagenWorkerMessage | StoppedMessage) => {
        if (settled || message.type === 'stopped') return
        if (message.type === 'file') onFile(message.bytes)
        else if (++idle === workers.length) void stop(undefined)
      })
      worker.on('error', error => void stop(reviveThreadError(error)))
      worker.on('exit', code => {
        if (code !== 0) void stop(new Error(`datagen writer thread exited with code ${code}`))
      })
    }
  })
}

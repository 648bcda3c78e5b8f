import {mapWithConcurrency, type ObjectStorageConfig, type ObjectStoreCredentials} from 'mlps/unstable'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import type {DlioTrainingWorkload} from '../workload.js'
import {trainFilePath, trainFolder, trainSubfolders} from '../formats/dataset-layout.js'
import {formatForDataset} from '../formats/format-for-dataset.js'
import {AbortError, abortErrorFrom} from '../io/abort.js'
import {assertFreeSpace} from '../io/free-space.js'
import {startModuleWorker} from '../io/module-worker.js'
import {objectTargetOf} from '../s3/object-target.js'
import {type DatagenProgress, DatagenTally} from './datagen-tally.js'
import {PARTIAL_SUFFIX, type DatagenWorkerData, type DatagenWorkerMessage, partialPath} from './datagen-protocol.js'

export type {DatagenProgress} from './datagen-tally.js'

export interface GenerateTrainingDataOptions {
  workload: DlioTrainingWorkload
  /** overrides `workload.dataset.data_folder` */
  dataFolder?: string
  /** the site config's objectStorage section, for a data folder that is an s3://bucket/prefix URI */
  objectStorage?: ObjectStorageConfig
  /** the bucket's credentials, resolved by the controller of a run over hosts (default: the config's credential source) */
  objectCredentials?: ObjectStoreCredentials
  /** parallel writers (worker threads); defaults to the number of CPUs */
  concurrency?: number
  /** the generation indices this call writes (a host's share of a run over hosts); default every file */
  share?: readonly number[]
  signal?: AbortSignal
  onProgress?: (progress: DatagenProgress) => void
}

export interface DatagenResult {
  trainFolder: string
  filesTotal: number
  filesWritten: number
  filesKept: number
  bytesTotal: number
  bytesWritten: number
  seconds: number
}

const STAT_CONCURRENCY = 64

async function sizeOrUndefined(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Left-overs of an interrupted writer are never complete files; remove them before and after a run. */
async function removePartialFiles(folders: readonly string[]): Promise<void> {
  await Promise.all(folders.map(async folder => {
    const names = await fs.readdir(folder).catch(() => [] as string[])
    await Promise.all(names.filter(name => name.endsWith(PARTIAL_SUFFIX)).map(name => fs.rm(path.join(folder, name), {force: true})))
  }))
}

async function removeSharePartials(files: readonly string[]): Promise<void> {
  await mapWithConcurrency(files, STAT_CONCURRENCY, file => fs.rm(partialPath(file), {force: true}))
}

/** The files DLIO's rank r of P generates: r, r + P, r + 2P, ... (its generator's `range(my_rank, total, comm_size)`). */
export function datagenShare(ranks: readonly number[], totalRanks: number, numFiles: number): number[] {
  const mine = new Set(ranks)
  return Array.from({length: numFiles}, (_, i) => i).filter(i => mine.has(i % totalRanks))
}

/**
 * Writes the `num_files_train` training files DLIO would generate (names,
 * subfolders and sizes as engines.md §1.5), in parallel worker threads.
 * Resumable: a file whose size equals its planned size is kept; files are
 * written as `<name>.partial` and renamed when complete, so an interrupted
 * run never leaves a short file under a final name.
 */
export async function generateTrainingData(options: GenerateTrainingDataOptions): Promise<DatagenResult> {
  const {workload, signal, onProgress} = options
  const dataset = workload.dataset
  const dataFolder = options.dataFolder ?? dataset.data_folder
  const target = objectTargetOf(dataFolder, options.objectStorage, '--data-dir', options.objectCredentials)
  if (target) return (await import('../s3/object-datagen.js')).generateTrainingObjects({...options, target})
  const concurrency = Math.max(1, options.concurrency ?? os.availableParallelism())
  const started = performance.now()
  if (signal?.aborted) throw abortErrorFrom(signal, 'datagen')

  const format = await formatForDataset(dataset)
  const indices = options.share ?? Array.from({length: dataset.num_files_train}, (_, i) => i)
  const files = indices.map(i => trainFilePath(dataset, dataFolder, i))
  const plannedSizes = indices.map(i => format.plannedFileSize(i))
  const folders = trainSubfolders(dataset, dataFolder)
  await Promise.all(folders.map(folder => fs.mkdir(folder, {recursive: true})))
  // other hosts write their shares into the same folders at the same time: a share clears only its own left-overs
  const clearPartials = options.share ? () => removeSharePartials(files) : () => removePartialFiles(folders)
  await clearPartials()

  const existingSizes = await mapWithConcurrency(files, STAT_CONCURRENCY, sizeOrUndefined)
  const pending = indices.flatMap((index, i) => (existingSizes[i] === plannedSizes[i] ? [] : [index]))
  const bytesTotal = plannedSizes.reduce((sum, size) => sum + size, 0)
  const bytesPending = pending.reduce((sum, index) => sum + format.plannedFileSize(index), 0)
  // Files about to be replaced give their space back only once rewritten, so they are not counted as free.
  await assertFreeSpace(folders[0], bytesPending)

  const tally = new DatagenTally({filesTotal: files.length, filesKept: files.length - pending.length, bytesTotal, bytesPending}, onProgress)
  if (pending.length > 0) await runWriters(workload, dataFolder, pending, Math.min(concurrency, pending.length), signal, clearPartials, bytes => tally.fileWritten(bytes))
  return {
    trainFolder: trainFolder(dataFolder),
    filesTotal: files.length,
    filesWritten: pending.length,
    filesKept: files.length - pending.length,
    bytesTotal,
    bytesWritten: tally.bytesWritten,
    seconds: (performance.now() - started) / 1000,
  }
}

function runWriters(
  workload: DlioTrainingWorkload,
  dataFolder: string,
  pending: number[],
  writers: number,
  signal: AbortSignal | undefined,
  clearPartials: () => Promise<void>,
  onFile: (bytes: number) => void,
): Promise<void> {
  const queue = new Int32Array(new SharedArrayBuffer(pending.length * 4))
  queue.set(pending)
  const data: DatagenWorkerData = {workload, dataFolder, pending: queue.buffer as SharedArrayBuffer, nextPending: new SharedArrayBuffer(4)}
  const workers = Array.from({length: writers}, () => startModuleWorker(import.meta.url, 'datagen-worker', {workerData: data}))

  return new Promise<void>((resolve, reject) => {
    let idle = 0
    let settled = false
    const stop = async (error: Error | undefined): Promise<void> => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      await Promise.all(workers.map(worker => worker.terminate()))
      if (error) {
        await clearPartials()
        reject(error)
      } else {
        resolve()
      }
    }
    const onAbort = (): void => {
      void stop(signal ? abortErrorFrom(signal, 'datagen') : new AbortError())
    }
    signal?.addEventListener('abort', onAbort, {once: true})
    for (const worker of workers) {
      worker.on('message', (message: DatagenWorkerMessage) => {
        if (settled) return
        if (message.type === 'file') onFile(message.bytes)
        else if (++idle === workers.length) void stop(undefined)
      })
      worker.on('error', error => void stop(error))
      worker.on('exit', code => {
        if (code !== 0) void stop(new Error(`datagen writer thread exited with code ${code}`))
      })
    }
  })
}

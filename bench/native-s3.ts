import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Worker} from 'node:worker_threads'
import type {ObjectStorageConfig} from '../src/storage/s3-client.js'
import {generateTrainingData} from '../plugins/engine-native/dist/training/datagen.js'
import {runTraining} from '../plugins/engine-native/dist/training/run.js'
import {trainFileRelativePath} from '../plugins/engine-native/dist/formats/dataset-layout.js'
import {startS3Server} from '../test/helpers/s3-server.js'
import {firstEpochSeconds, MiB, readThroughputFigures, roundEach} from './figures.js'
import {unet3dReadWorkload} from './unet3d-read-workload.js'

const files = Number(process.env.MLPS_BENCH_S3_FILES ?? 48)
const recordBytes = Number(process.env.MLPS_BENCH_S3_RECORD_BYTES ?? 2 << 20)
const accelerators = 2
const readThreads = 4

type Format = 'npz' | 'jpeg'

const workload = (dataFolder: string, format: Format) => unet3dReadWorkload(dataFolder, {format, files, recordBytes, readThreads})

/** The native run's bytes over its epoch's own time (rank 0's per_epoch_stats start → end), and over the wall time with thread start-up. */
async function nativeMiBps(dataFolder: string, format: Format, objectStorage: ObjectStorageConfig, outputDir: string): Promise<{epoch: number; wall: number}> {
  const start = performance.now()
  const result = await runTraining({workload: workload(dataFolder, format), objectStorage, outputDir, accelerators})
  const wallSeconds = (performance.now() - start) / 1000
  const mib = result.bytesRead / MiB
  return {epoch: mib / firstEpochSeconds(result.files.perEpochStats[0]), wall: mib / wallSeconds}
}

/**
 * The baseline: the same client in as many threads as the native run has readers, each fetching its
 * share of the whole objects one GET at a time — the native model without the engine (no npz
 * parsing, no header GETs, no batches or accelerators). Timed from every thread ready to the last done.
 */
async function plainGetMiBps(objectStorage: ObjectStorageConfig, bucket: string, keys: readonly string[]): Promise<number> {
  const lanes = accelerators * readThreads
  const workers = Array.from({length: lanes}, (_, lane) => new Worker(new URL('s3-get-worker.mjs', import.meta.url), {
    workerData: {objectStorage, bucket, keys: keys.filter((_, i) => i % lanes === lane)},
  }))
  try {
    const next = (worker: Worker) => new Promise<{bytes?: number}>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    await Promise.all(workers.map(next))
    const start = performance.now()
    const done = workers.map(next)
    for (const worker of workers) worker.postMessage('go')
    const bytes = (await Promise.all(done)).reduce((sum, message) => sum + (message.bytes ?? 0), 0)
    return bytes / MiB / ((performance.now() - start) / 1000)
  } finally {
    await Promise.all(workers.map(worker => worker.terminate()))
  }
}

/** Both sides on one format's objects, three alternating rounds each. */
async function compare(format: Format, objectStorage: ObjectStorageConfig, bucket: string, outputs: string): Promise<Record<string, unknown>> {
  const prefix = `bench/${format}`
  const dataFolder = `s3://${bucket}/${prefix}`
  await generateTrainingData({workload: workload(dataFolder, format), objectStorage, concurrency: 2})
  const keys = Array.from({length: files}, (_, i) => `${prefix}/train/${trainFileRelativePath(workload(dataFolder, format).dataset, i)}`)
  const rounds = {native: [] as number[], nativeWithStartup: [] as number[], plainGet: [] as number[]}
  for (let round = 0; round < 3; round++) {
    const measured = await nativeMiBps(dataFolder, format, objectStorage, join(outputs, `${format}-${round}`))
    rounds.native.push(measured.epoch)
    rounds.nativeWithStartup.push(measured.wall)
    rounds.plainGet.push(await plainGetMiBps(objectStorage, bucket, keys))
  }
  return {...readThroughputFigures('plain_get', {...rounds, baseline: rounds.plainGet}), rounds: roundEach(rounds)}
}

/**
 * The native engine's S3 read throughput against a plain GET loop with the same client (the AWS SDK
 * through openObjectStore) and the same concurrency (8 threads, one request in flight each), on the
 * same server (s3rver on loopback) and objects, alternating so drift hits both alike. jpeg is read
 * with whole-object GETs, the requests of the plain loop: its ratio is the engine's own cost. npz is
 * read as np.load reads it — the zip directory and the NPY header with small ranged GETs before the
 * array — so its ratio also prices that access pattern.
 */
export async function benchNativeS3(): Promise<Record<string, unknown>> {
  const server = await startS3Server('mlps-bench')
  const saved = {id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY}
  Object.assign(process.env, server.credentialsEnv)
  const outputs = mkdtempSync(join(tmpdir(), 'mlps-bench-s3-'))
  try {
    const objectStorage: ObjectStorageConfig = {endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: 'environment', allowAws: false}
    const jpeg = await compare('jpeg', objectStorage, server.bucket, outputs)
    const npz = await compare('npz', objectStorage, server.bucket, outputs)
    return {
      bench: 'native-s3',
      server: 's3rver on loopback (one Node process)',
      dataset: {files, recordBytes},
      requestsInFlight: accelerators * readThreads,
      ratio: jpeg.ratio,
      aim: 'jpeg ratio >= 0.8',
      jpeg,
      npz,
      getsPerSample: {jpeg: 1, npz: 3, plainGet: 1},
    }
  } finally {
    rmSync(outputs, {recursive: true, force: true})
    await server.stop()
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID
    else process.env.AWS_ACCESS_KEY_ID = saved.id
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret
  }
}

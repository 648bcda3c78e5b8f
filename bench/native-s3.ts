import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {DlioTrainingWorkload} from '@mlps/run-options'
import {Worker} from 'node:worker_threads'
import type {ObjectStorageConfig} from '../src/storage/s3-client.js'
import {generateTrainingData} from '../plugins/engine-native/dist/training/datagen.js'
import {runTraining} from '../plugins/engine-native/dist/training/run.js'
import {trainFileRelativePath} from '../plugins/engine-native/dist/formats/dataset-layout.js'
import {startS3Server} from '../test/helpers/s3-server.js'

const files = Number(process.env.MLPS_BENCH_S3_FILES ?? 48)
const recordBytes = Number(process.env.MLPS_BENCH_S3_RECORD_BYTES ?? 2 << 20)
const accelerators = 2
const readThreads = 4

type Format = 'npz' | 'jpeg'

/** unet3d's shape (one sample per file, 4 readers per accelerator), no compute: the read path alone. */
function workload(dataFolder: string, format: Format): DlioTrainingWorkload {
  return {
    model: {name: 'unet3d', type: 'cnn'},
    framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {data_folder: dataFolder, format, num_files_train: files, num_samples_per_file: 1, record_length_bytes: recordBytes, record_length_bytes_stdev: 0},
    reader: {data_loader: 'pytorch', batch_size: 1, read_threads: readThreads, file_shuffle: 'seed', sample_shuffle: 'seed'},
    train: {epochs: 1, computation_time: 0},
    metric: {au: 0.9},
  }
}

/** The native run's bytes over its epoch's own time (rank 0's per_epoch_stats start → end), and over the wall time with thread start-up. */
async function nativeMiBps(dataFolder: string, format: Format, objectStorage: ObjectStorageConfig, outputDir: string): Promise<{epoch: number; wall: number}> {
  const start = performance.now()
  const result = await runTraining({workload: workload(dataFolder, format), objectStorage, outputDir, accelerators})
  const wallSeconds = (performance.now() - start) / 1000
  const stats = JSON.parse(readFileSync(result.files.perEpochStats[0], 'utf8')) as Record<string, {start: string; end: string}>
  const epochSeconds = (Date.parse(stats['1'].end) - Date.parse(stats['1'].start)) / 1000
  const mib = result.bytesRead / 2 ** 20
  return {epoch: mib / epochSeconds, wall: mib / wallSeconds}
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
    return bytes / 2 ** 20 / ((performance.now() - start) / 1000)
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
  const native: number[] = []
  const nativeWall: number[] = []
  const plain: number[] = []
  for (let round = 0; round < 3; round++) {
    const measured = await nativeMiBps(dataFolder, format, objectStorage, join(outputs, `${format}-${round}`))
    native.push(measured.epoch)
    nativeWall.push(measured.wall)
    plain.push(await plainGetMiBps(objectStorage, bucket, keys))
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]
  return {
    native_MiBps: round(median(native)),
    plain_get_MiBps: round(median(plain)),
    ratio: round(median(native) / median(plain)),
    native_with_startup_MiBps: round(median(nativeWall)),
    ratio_with_startup: round(median(nativeWall) / median(plain)),
    rounds: {native: native.map(round), nativeWithStartup: nativeWall.map(round), plainGet: plain.map(round)},
  }
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

function round(value: number): number {
  return Math.round(value * 100) / 100
}

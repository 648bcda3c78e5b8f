import {execFileSync} from 'node:child_process'
import {mkdirSync, readFileSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {DlioTrainingWorkload} from '@mlps/run-options'
import {dropPageCache} from '../plugins/engine-native/dist/training/drop-caches.js'
import {generateTrainingData} from '../plugins/engine-native/dist/training/datagen.js'
import {runTraining} from '../plugins/engine-native/dist/training/run.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const files = Number(process.env.MLPS_BENCH_FILES ?? 192)
const recordBytes = Number(process.env.MLPS_BENCH_RECORD_BYTES ?? 8 << 20)
const accelerators = 2
const readThreads = 4

/** unet3d's shape (npz, one sample per file, 4 readers per accelerator), no compute: the read path alone. */
function workload(dataFolder: string): DlioTrainingWorkload {
  return {
    model: {name: 'unet3d', type: 'cnn'},
    framework: 'pytorch',
    workflow: {generate_data: false, train: true, checkpoint: false},
    dataset: {data_folder: dataFolder, format: 'npz', num_files_train: files, num_samples_per_file: 1, record_length_bytes: recordBytes, record_length_bytes_stdev: 0},
    reader: {data_loader: 'pytorch', batch_size: 1, read_threads: readThreads, file_shuffle: 'seed', sample_shuffle: 'seed'},
    train: {epochs: 1, computation_time: 0},
    metric: {au: 0.9},
  }
}

/**
 * Bytes read over the epoch's own time (rank 0's per_epoch_stats start → end), as fio's figure
 * covers its I/O time and not its start-up; the wall time including thread start-up is kept too.
 */
async function nativeMiBps(dataFolder: string, outputDir: string): Promise<{epoch: number; wall: number}> {
  const start = performance.now()
  const result = await runTraining({workload: workload(dataFolder), outputDir, accelerators})
  const wallSeconds = (performance.now() - start) / 1000
  const stats = JSON.parse(readFileSync(result.files.perEpochStats[0], 'utf8')) as Record<string, {start: string; end: string}>
  const epochSeconds = (Date.parse(stats['1'].end) - Date.parse(stats['1'].start)) / 1000
  const mib = result.bytesRead / 2 ** 20
  return {epoch: mib / epochSeconds, wall: mib / wallSeconds}
}

/** fio reading the same files with the same number of concurrent readers, each its own share of the files. */
function fioMiBps(trainFolder: string): number {
  const names = readdirSync(trainFolder).filter(name => name.endsWith('.npz')).sort()
  const jobs = accelerators * readThreads
  const args = ['--output-format=json', '--ioengine=psync', '--rw=read', '--bs=1M', '--direct=0', '--group_reporting', '--thread']
  for (let job = 0; job < jobs; job++) {
    const share = names.filter((_, i) => i % jobs === job).map(name => join(trainFolder, name).replaceAll(':', '\\:'))
    args.push(`--name=reader${job}`, `--filename=${share.join(':')}`, '--file_service_type=sequential')
  }
  const report = JSON.parse(execFileSync('fio', args, {encoding: 'utf8'})) as {jobs: Array<{read: {io_bytes: number; runtime: number}}>}
  const {io_bytes: bytes, runtime} = report.jobs[0].read
  return bytes / 2 ** 20 / (runtime / 1000)
}

/**
 * The native engine's read throughput against fio reading the same files
 * with the same concurrency, from a cold page cache each time when we may
 * drop it (root), alternating so drift hits both alike. Aim: ratio ≥ 0.9.
 */
export async function benchNativeVsFio(): Promise<Record<string, unknown>> {
  try {
    execFileSync('fio', ['--version'], {stdio: 'ignore'})
  } catch {
    return {bench: 'native-vs-fio', skipped: 'fio is not installed (apt-get install fio)'}
  }
  const work = join(root, '.bench-tmp', 'native-vs-fio')
  const dataFolder = join(work, 'data', 'unet3d')
  mkdirSync(work, {recursive: true})
  await generateTrainingData({workload: workload(dataFolder), concurrency: 2})
  const native: number[] = []
  const nativeWall: number[] = []
  const fio: number[] = []
  let coldCache = true
  for (let round = 0; round < 3; round++) {
    coldCache = dropPageCache().dropped && coldCache
    const measured = await nativeMiBps(dataFolder, join(work, `out-${round}`))
    native.push(measured.epoch)
    nativeWall.push(measured.wall)
    coldCache = dropPageCache().dropped && coldCache
    fio.push(fioMiBps(join(dataFolder, 'train')))
  }
  rmSync(work, {recursive: true, force: true})
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]
  return {
    bench: 'native-vs-fio',
    dataset: {files, recordBytes, format: 'npz'},
    readers: accelerators * readThreads,
    coldCache,
    native_MiBps: round(median(native)),
    fio_MiBps: round(median(fio)),
    ratio: round(median(native) / median(fio)),
    aim: 'ratio >= 0.9',
    native_with_startup_MiBps: round(median(nativeWall)),
    ratio_with_startup: round(median(nativeWall) / median(fio)),
    rounds: {native: native.map(round), nativeWithStartup: nativeWall.map(round), fio: fio.map(round)},
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

import {mkdirSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {dropPageCache} from '../plugins/engine-native/dist/training/drop-caches.js'
import {generateTrainingData} from '../plugins/engine-native/dist/training/datagen.js'
import {runTraining} from '../plugins/engine-native/dist/training/run.js'
import {withCpuNeighbour} from './cpu-neighbour.js'
import {ownCpuSeconds} from './cpu-time.js'
import {fioFileList, fioInstalled, runFio} from './fio.js'
import {firstEpochSeconds, GiB, MiB, machineLoad, median, readThroughputFigures, round, roundEach} from './figures.js'
import {type ReadShape, unet3dReadWorkload} from './unet3d-read-workload.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const files = Number(process.env.MLPS_BENCH_FILES ?? 192)
const recordBytes = Number(process.env.MLPS_BENCH_RECORD_BYTES ?? 8 << 20)
const rounds = Number(process.env.MLPS_BENCH_ROUNDS ?? 3)
const accelerators = 2
const readThreads = 4
/** the native readers' chunk (READ_SCRATCH_BYTES): fio reads with the same request size */
const REQUEST_BYTES = 4 << 20

type ReadOptions = Pick<ReadShape, 'startupOnly'> & {odirect: boolean}

/** npz, as unet3d reads it */
const workload = (dataFolder: string, options: ReadOptions = {odirect: false}) =>
  unet3dReadWorkload(dataFolder, {format: 'npz', files, recordBytes, readThreads, ...options})

interface NativeRead {
  /** bytes over the epoch's own time (rank 0's per_epoch_stats start → end), as fio's figure covers its I/O time */
  epochMiBps: number
  /** bytes over the whole call, thread start-up and outputs included */
  wallMiBps: number
  gib: number
  /** CPU of every thread of this process over the whole call */
  cpuSeconds: number
}

async function nativeRead(dataFolder: string, outputDir: string, options: ReadOptions): Promise<NativeRead> {
  const cpuBefore = ownCpuSeconds()
  const start = performance.now()
  const result = await runTraining({workload: workload(dataFolder, options), outputDir, accelerators})
  const wallSeconds = (performance.now() - start) / 1000
  const cpuSeconds = ownCpuSeconds() - cpuBefore
  const epochSeconds = firstEpochSeconds(result.files.perEpochStats[0])
  rmSync(outputDir, {recursive: true, force: true})
  return {epochMiBps: result.bytesRead / MiB / epochSeconds, wallMiBps: result.bytesRead / MiB / wallSeconds, gib: result.bytesRead / GiB, cpuSeconds}
}

/** fio reading the same files with the same number of concurrent readers, each its own share, whole files in the native readers' request size. */
function fioRead(trainFolder: string, odirect: boolean): {MiBps: number; cpuSecondsPerGiB: number} {
  const names = readdirSync(trainFolder).filter(name => name.endsWith('.npz')).sort()
  const jobs = accelerators * readThreads
  const args = ['--ioengine=psync', '--rw=read', `--bs=${REQUEST_BYTES}`, `--direct=${odirect ? 1 : 0}`]
  for (let job = 0; job < jobs; job++) {
    const share = names.filter((_, i) => i % jobs === job).map(name => join(trainFolder, name))
    args.push(`--name=reader${job}`, `--filename=${fioFileList(share)}`, '--file_service_type=sequential')
  }
  const outcome = runFio('read', args)
  return {MiBps: outcome.bytes / MiB / outcome.seconds, cpuSecondsPerGiB: outcome.cpuSeconds / (outcome.bytes / GiB)}
}

interface Rounds {
  native: number[]
  nativeWithStartup: number[]
  nativeCpuPerGiB: number[]
  nativeCpuPerGiBWithStartup: number[]
  fio: number[]
  fioCpuPerGiB: number[]
}

const emptyRounds = (): Rounds => ({native: [], nativeWithStartup: [], nativeCpuPerGiB: [], nativeCpuPerGiBWithStartup: [], fio: [], fioCpuPerGiB: []})

/** One native run and one fio run, each from a cold page cache when we may drop it; false when it could not be dropped. */
async function measureRound(measured: Rounds, dataFolder: string, work: string, odirect: boolean, startupCpu: () => Promise<number>): Promise<boolean> {
  let coldCache = dropPageCache().dropped
  const native = await nativeRead(dataFolder, join(work, 'out'), {odirect})
  const startup = await startupCpu()
  measured.native.push(native.epochMiBps)
  measured.nativeWithStartup.push(native.wallMiBps)
  measured.nativeCpuPerGiB.push(Math.max(0, native.cpuSeconds - startup) / native.gib)
  measured.nativeCpuPerGiBWithStartup.push(native.cpuSeconds / native.gib)
  coldCache = dropPageCache().dropped && coldCache
  const fio = fioRead(join(dataFolder, 'train'), odirect)
  measured.fio.push(fio.MiBps)
  measured.fioCpuPerGiB.push(fio.cpuSecondsPerGiB)
  return coldCache
}

function figures({native, nativeWithStartup, nativeCpuPerGiB, nativeCpuPerGiBWithStartup, fio, fioCpuPerGiB}: Rounds) {
  return {
    ...readThroughputFigures('fio', {native, nativeWithStartup, baseline: fio}),
    native_cpu_s_per_GiB: round(median(nativeCpuPerGiB), 3),
    native_cpu_s_per_GiB_with_startup: round(median(nativeCpuPerGiBWithStartup), 3),
    fio_cpu_s_per_GiB: round(median(fioCpuPerGiB), 3),
    cpu_ratio: round(median(nativeCpuPerGiB) / median(fioCpuPerGiB)),
    cpu_ratio_with_startup: round(median(nativeCpuPerGiBWithStartup) / median(fioCpuPerGiB)),
  }
}

/**
 * The native engine's training read path against fio reading the same files
 * with the same concurrency: throughput, and CPU seconds per GiB moved (the
 * client's CPU must not be what a storage benchmark measures), buffered and
 * with O_DIRECT (unet3d's `reader.odirect`), then buffered again beside a
 * CPU-bound neighbour process, whose throughput ÷ the quiet one shows
 * contention. Native CPU is every thread of this process over the run, less
 * the CPU of a one-step run of the same workload (its start-up and outputs);
 * the `_with_startup` figures keep it.
 */
export async function benchNativeVsFio(): Promise<Record<string, unknown>> {
  if (!fioInstalled()) return {bench: 'native-vs-fio', skipped: 'fio is not installed (apt-get install fio)'}
  const work = join(root, '.bench-tmp', 'native-vs-fio')
  const dataFolder = join(work, 'data', 'unet3d')
  const machineBefore = machineLoad()
  try {
    mkdirSync(work, {recursive: true})
    await generateTrainingData({workload: workload(dataFolder), concurrency: 2})
    const startupCpu = async () => {
      dropPageCache()
      return (await nativeRead(dataFolder, join(work, 'startup'), {odirect: false, startupOnly: true})).cpuSeconds
    }
    // each round measures every variant, so the machine's drift (other tenants come and go) hits them alike
    const buffered = emptyRounds()
    const direct = emptyRounds()
    const loaded = emptyRounds()
    let coldCache = true
    for (let round = 0; round < rounds; round++) {
      coldCache = (await measureRound(buffered, dataFolder, work, false, startupCpu)) && coldCache
      coldCache = (await withCpuNeighbour(() => measureRound(loaded, dataFolder, work, false, startupCpu))) && coldCache
      coldCache = (await measureRound(direct, dataFolder, work, true, startupCpu)) && coldCache
    }
    const quiet = figures(buffered)
    const busy = figures(loaded)
    return {
      bench: 'native-vs-fio',
      machineBefore,
      machineAfter: machineLoad(),
      dataset: {files, recordBytes, format: 'npz'},
      readers: accelerators * readThreads,
      requestBytes: REQUEST_BYTES,
      coldCache,
      buffered: quiet,
      odirect: figures(direct),
      cpuNeighbour: {
        ...busy,
        native_loaded_over_quiet: round(busy.native_MiBps / quiet.native_MiBps),
        fio_loaded_over_quiet: round(busy.fio_MiBps / quiet.fio_MiBps),
      },
      aims: 'ratio >= 0.95 (loaded too); cpu_ratio <= 1.5; native_loaded_over_quiet >= 0.95',
      rounds: {buffered: roundEach(buffered, 3), odirect: roundEach(direct, 3), cpuNeighbour: roundEach(loaded, 3)},
    }
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
}

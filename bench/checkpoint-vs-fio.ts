import {mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {runCheckpoints} from '../plugins/engine-native/dist/checkpoint/run-checkpoints.js'
import {dropPageCache} from '../plugins/engine-native/dist/training/drop-caches.js'
import {ownCpuSeconds} from './cpu-time.js'
import {fioInstalled, runFio} from './fio.js'
import {GiB, MiB, machineLoad, median, round} from './figures.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const ranks = Number(process.env.MLPS_BENCH_CHECKPOINT_RANKS ?? 4)
const shardBytes = Number(process.env.MLPS_BENCH_CHECKPOINT_SHARD_BYTES ?? 256 << 20)
const rounds = Number(process.env.MLPS_BENCH_ROUNDS ?? 3)
/** the rank workers' chunk: fio writes and reads with the same request size */
const REQUEST_BYTES = 4 << 20

type Phase = 'save' | 'load'

interface Moved {
  MiBps: number
  cpuSecondsPerGiB: number
}

const shardName = (rank: number) => `model_states-rank${rank}.pt`

/**
 * One checkpoint written (fsynced) or read by the native rank threads; throughput over the
 * first rank's start → the last rank's end, CPU of every thread of this process over the call
 * (their start-up included: it is small beside a GiB).
 */
async function nativeCheckpoint(folder: string, outputDir: string, phase: Phase): Promise<Moved> {
  const cpuBefore = ownCpuSeconds()
  const result = await runCheckpoints({
    folder,
    ranks: Array.from({length: ranks}, (_, rank) => [{name: shardName(rank), bytes: shardBytes}]),
    numCheckpointsWrite: phase === 'save' ? 1 : 0,
    numCheckpointsRead: phase === 'load' ? 1 : 0,
    timeBetweenCheckpoints: 0,
    fsync: true,
    clearCacheBetweenPhases: false,
    outputDir,
  })
  const cpuSeconds = ownCpuSeconds() - cpuBefore
  const entries = result.files.perEpochStats.map(file => (JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, {start: string; end: string}>>)['1'][`${phase}_ckpt1`])
  rmSync(outputDir, {recursive: true, force: true})
  const seconds = (Math.max(...entries.map(entry => Date.parse(entry.end))) - Math.min(...entries.map(entry => Date.parse(entry.start)))) / 1000
  const bytes = phase === 'save' ? result.bytesWritten : result.bytesRead
  return {MiBps: bytes / MiB / seconds, cpuSecondsPerGiB: cpuSeconds / (bytes / GiB)}
}

/** fio doing the same: one job per rank on its shard, fresh random bytes in every write (`refill_buffers`), fsync at close. */
function fioCheckpoint(folder: string, phase: Phase): Moved {
  const args = ['--ioengine=psync', `--bs=${REQUEST_BYTES}`, `--size=${shardBytes}`, '--direct=0']
  args.push(...(phase === 'save' ? ['--rw=write', '--refill_buffers', '--fsync_on_close=1', '--fallocate=none'] : ['--rw=read']))
  for (let rank = 0; rank < ranks; rank++) args.push(`--name=rank${rank}`, `--filename=${join(folder, shardName(rank)).replaceAll(':', '\\:')}`)
  const outcome = runFio(phase === 'save' ? 'write' : 'read', args)
  return {MiBps: outcome.bytes / MiB / outcome.seconds, cpuSecondsPerGiB: outcome.cpuSeconds / (outcome.bytes / GiB)}
}

function figures(native: Moved[], fio: Moved[]) {
  const nativeMiBps = median(native.map(m => m.MiBps))
  const fioMiBps = median(fio.map(m => m.MiBps))
  const nativeCpu = median(native.map(m => m.cpuSecondsPerGiB))
  const fioCpu = median(fio.map(m => m.cpuSecondsPerGiB))
  return {
    native_MiBps: round(nativeMiBps),
    fio_MiBps: round(fioMiBps),
    ratio: round(nativeMiBps / fioMiBps),
    native_cpu_s_per_GiB: round(nativeCpu, 3),
    fio_cpu_s_per_GiB: round(fioCpu, 3),
    cpu_ratio: round(nativeCpu / fioCpu),
    rounds: {native: native.map(m => round(m.MiBps)), fio: fio.map(m => round(m.MiBps)), nativeCpu: native.map(m => round(m.cpuSecondsPerGiB, 3)), fioCpu: fio.map(m => round(m.cpuSecondsPerGiB, 3))},
  }
}

/**
 * The native checkpoint write and read path against fio on the same shard
 * files, ranks and request size: throughput and CPU seconds per GiB moved.
 * Each write starts from no files (fio's in a folder of its own); each read
 * from a cold page cache when we may drop it. Native and fio alternate so
 * drift hits both alike.
 */
export async function benchCheckpointVsFio(): Promise<Record<string, unknown>> {
  if (!fioInstalled()) return {bench: 'checkpoint-vs-fio', skipped: 'fio is not installed (apt-get install fio)'}
  const work = join(root, '.bench-tmp', 'checkpoint-vs-fio')
  const nativeFolder = join(work, 'native')
  const fioFolder = join(work, 'fio')
  const measured: Record<Phase, {native: Moved[]; fio: Moved[]}> = {save: {native: [], fio: []}, load: {native: [], fio: []}}
  let coldCache = true
  const machineBefore = machineLoad()
  try {
    for (let round = 0; round < rounds; round++) {
      rmSync(work, {recursive: true, force: true})
      mkdirSync(fioFolder, {recursive: true})
      measured.save.native.push(await nativeCheckpoint(nativeFolder, join(work, 'out'), 'save'))
      measured.save.fio.push(fioCheckpoint(fioFolder, 'save'))
      coldCache = dropPageCache().dropped && coldCache
      measured.load.native.push(await nativeCheckpoint(nativeFolder, join(work, 'out'), 'load'))
      coldCache = dropPageCache().dropped && coldCache
      measured.load.fio.push(fioCheckpoint(fioFolder, 'load'))
    }
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
  return {
    bench: 'checkpoint-vs-fio',
    machineBefore,
    machineAfter: machineLoad(),
    ranks,
    shardBytes,
    requestBytes: REQUEST_BYTES,
    fsync: true,
    coldCache,
    write: figures(measured.save.native, measured.save.fio),
    read: figures(measured.load.native, measured.load.fio),
    aims: 'cpu_ratio <= 1.5',
  }
}

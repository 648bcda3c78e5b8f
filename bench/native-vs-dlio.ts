import {execFileSync} from 'node:child_process'
import {accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {dropPageCache} from '../plugins/engine-native/dist/training/drop-caches.js'
import {round} from './figures.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const mlps = join(root, 'bin', 'run.js')
const files = Number(process.env.MLPS_BENCH_DLIO_FILES ?? 112)
const recordBytes = Number(process.env.MLPS_BENCH_DLIO_RECORD_BYTES ?? 4 << 20)
const accelerators = 2
// unet3d_h100's own reader: batch 7, 4 read threads per accelerator
const readThreads = 4
const datasetParams = [`dataset.num_files_train=${files}`, `dataset.record_length_bytes=${recordBytes}`, 'dataset.record_length_bytes_stdev=0',
  `dataset.record_length_bytes_resize=${recordBytes}`].flatMap(p => ['--param', p])
/** the workload as unet3d_h100 has it (0.323 s of compute per step), and with no compute, the read path alone */
const VARIANTS = {
  'unet3d_h100': [`reader.read_threads=${readThreads}`, 'train.epochs=2'],
  'unet3d_h100, train.computation_time=0': [`reader.read_threads=${readThreads}`, 'train.epochs=2', 'train.computation_time=0'],
} as const

/** DLIO as ../shared/engines/install.sh installs it: DLIO_BIN, else MLPS_ENGINES_PREFIX's layout. */
function dlioBin(): string | undefined {
  const bin = process.env.DLIO_BIN ?? (process.env.MLPS_ENGINES_PREFIX ? join(process.env.MLPS_ENGINES_PREFIX, 'dlio', 'bin', 'dlio_benchmark') : undefined)
  if (!bin) return undefined
  try {
    accessSync(bin, constants.X_OK)
    return bin
  } catch {
    return undefined
  }
}

interface Measured {samplesPerSecond: number; mibPerSecond: number; au: number; wallSeconds: number; engineSeconds: number}

function mlpsJson(args: string[], env: NodeJS.ProcessEnv): {leaf: string; record: {status: string; statusReason?: string; timings: {durationSeconds: number}; commands: Array<{startedAt: string; endedAt: string}>}} {
  let stdout: string
  try {
    stdout = execFileSync(process.execPath, [mlps, ...args, '--json'], {encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20})
  } catch (error) {
    // a completed run that a rules edition judges INVALID exits 4: its figures are still the engine's
    stdout = String((error as {stdout?: string}).stdout ?? '')
  }
  return JSON.parse(stdout)
}

/** One `mlps training run` through the built CLI; figures from the summary.json the engine wrote. */
function trainingRun(engine: 'native' | 'dlio', workload: readonly string[], dataDir: string, results: string, config: string, env: NodeJS.ProcessEnv): Measured {
  const output = mlpsJson(['training', 'run', '-m', 'unet3d', '-g', 'h100', '-n', String(accelerators), '--data-dir', dataDir, ...datasetParams,
    ...workload.flatMap(p => ['--param', p]), '--open',
    '--engine', engine, '--config', config, '--results-dir', results], env)
  if (output.record.status !== 'COMPLETED') throw new Error(`${engine} run ${output.record.status}: ${output.record.statusReason}`)
  const metric = (JSON.parse(readFileSync(join(output.leaf, 'summary.json'), 'utf8').replaceAll('NaN', 'null')) as {metric: Record<string, number>}).metric
  const command = output.record.commands[0]
  return {
    samplesPerSecond: metric.train_throughput_mean_samples_per_second, mibPerSecond: metric.train_io_mean_MB_per_second, au: metric.train_au_mean_percentage,
    wallSeconds: output.record.timings.durationSeconds,
    engineSeconds: command ? (Date.parse(command.endedAt) - Date.parse(command.startedAt)) / 1000 : output.record.timings.durationSeconds,
  }
}

/**
 * The native engine against the real DLIO v3.0 on the same dataset (the files DLIO's own datagen wrote),
 * the same workload, accelerators and read threads, each from a cold page cache when we may drop it,
 * alternating so drift hits both alike: ratios of throughput and of wall time (native / DLIO).
 */
export async function benchNativeVsDlio(): Promise<Record<string, unknown>> {
  const bin = dlioBin()
  if (!bin) return {bench: 'native-vs-dlio', skipped: 'DLIO is not installed: set MLPS_ENGINES_PREFIX (or DLIO_BIN), or run ../shared/engines/install.sh <prefix>'}
  const work = join(root, '.bench-tmp', 'native-vs-dlio')
  rmSync(work, {recursive: true, force: true})
  mkdirSync(work, {recursive: true})
  const config = join(work, 'mlps.config.json')
  writeFileSync(config, JSON.stringify({launcher: {type: 'openmpi'}, engines: {dlio: {bin, env: {DLIO_DATA_GEN: 'numpy'}}}}))
  const env = {...process.env, MLPS_DATA_DIR: join(work, 'home'), OCLIF_DISABLE_LINKED_ESM_WARNING: '1'}
  const dataDir = join(work, 'data')
  const generated = mlpsJson(['training', 'datagen', '-m', 'unet3d', '-n', String(accelerators), '--data-dir', dataDir, ...datasetParams, '--open',
    '--engine', 'dlio', '--config', config, '--results-dir', join(work, 'results')], env)
  if (generated.record.status !== 'COMPLETED') throw new Error(`DLIO datagen ${generated.record.status}: ${generated.record.statusReason}`)
  let coldCache = true
  const variants: Array<Record<string, unknown>> = []
  for (const [workload, workloadParams] of Object.entries(VARIANTS)) {
    const runs: Record<'native' | 'dlio', Measured[]> = {native: [], dlio: []}
    for (let round = 0; round < 2; round++) {
      for (const engine of ['dlio', 'native'] as const) {
        coldCache = dropPageCache().dropped && coldCache
        runs[engine].push(trainingRun(engine, workloadParams, dataDir, join(work, 'results'), config, env))
      }
    }
    const best = (list: Measured[]) => list.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a))
    const [native, dlio] = [best(runs.native), best(runs.dlio)]
    variants.push({
      workload, native: roundMeasured(native), dlio: roundMeasured(dlio),
      throughput_ratio: round(native.samplesPerSecond / dlio.samplesPerSecond),
      wall_time_ratio: round(native.wallSeconds / dlio.wallSeconds),
      engine_time_ratio: round(native.engineSeconds / dlio.engineSeconds),
      rounds: {native: runs.native.map(roundMeasured), dlio: runs.dlio.map(roundMeasured)},
    })
  }
  rmSync(work, {recursive: true, force: true})
  return {
    bench: 'native-vs-dlio',
    dataset: {files, recordBytes, format: 'npz', writtenBy: 'DLIO datagen'},
    accelerators, readThreads, coldCache,
    ratios: 'native / DLIO, the better of two alternating rounds each',
    variants,
  }
}

function roundMeasured(measured: Measured): Record<string, number> {
  return Object.fromEntries(Object.entries(measured).map(([key, value]) => [key, round(value)]))
}

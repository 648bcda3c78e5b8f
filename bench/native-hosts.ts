import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {isolatedEnv, mlpsBin, tempDir} from '../test/helpers/cli.js'
import {LAB_HOSTS, LaunchLab} from '../test/lab/launch-lab.js'
import {labObstacles} from '../test/lab/lab-requirements.js'
import {median} from './figures.js'

const RUNS = Number(process.env.MLPS_BENCH_RUNS ?? 3)
const ACCELERATORS = 3
const WORKLOAD = ['-m', 'unet3d', '--param', 'dataset.num_files_train=420', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=0']

/** DLIO's local-time timestamp with microseconds, as wall-clock ms. */
function wallMsOf(timestamp: string): number {
  return new Date(timestamp.slice(0, 23)).getTime() + Number(timestamp.slice(23)) / 1000
}

interface Measured {samplesPerSecond: number; firstEpochMs: number}

async function train(env: NodeJS.ProcessEnv, data: string, extra: string[]): Promise<Measured> {
  const results = tempDir('mlps-bench-results-')
  try {
    const startedMs = Date.now()
    const result = await execa(process.execPath, [mlpsBin, 'training', 'run', ...WORKLOAD, '-g', 'h100', '-n', String(ACCELERATORS), '--open', '--data-dir', data,
      '--param', 'train.epochs=3', '--param', 'train.computation_time=0.005', '--engine', 'native', '--results-dir', results, '--json', ...extra], {env, extendEnv: false, reject: false, stdin: 'ignore'})
    const output = JSON.parse(String(result.stdout)) as {status: string; leaf: string; record: {statusReason?: string}}
    if (output.status !== 'COMPLETED') throw new Error(`the bench run did not complete: ${output.record.statusReason}\n${result.stderr}`)
    const summary = JSON.parse(readFileSync(join(output.leaf, 'summary.json'), 'utf8')) as {metric: {train_throughput_mean_samples_per_second: number}}
    const epochs = JSON.parse(readFileSync(join(output.leaf, '0_per_epoch_stats.json'), 'utf8')) as Record<string, {start: string}>
    return {samplesPerSecond: summary.metric.train_throughput_mean_samples_per_second, firstEpochMs: wallMsOf(epochs['1'].start) - startedMs}
  } finally {
    rmSync(results, {recursive: true, force: true})
  }
}

/** One datagen of the workload into a fresh folder: the engine's own seconds (writing, after the preflight), removed after. */
async function datagenSeconds(env: NodeJS.ProcessEnv, extra: string[]): Promise<number> {
  const data = tempDir('mlps-bench-datagen-')
  const results = tempDir('mlps-bench-results-')
  try {
    const result = await execa(process.execPath, [mlpsBin, 'training', 'datagen', ...WORKLOAD, '--data-dir', data, '-n', String(ACCELERATORS), '--engine', 'native', '--results-dir', results, '--json', ...extra],
      {env, extendEnv: false, reject: false, stdin: 'ignore'})
    const output = JSON.parse(String(result.stdout)) as {status: string; record: {statusReason?: string; metrics: {seconds: number; filesWritten: number}}}
    if (output.status !== 'COMPLETED' || output.record.metrics.filesWritten !== 420) throw new Error(`the bench datagen did not complete: ${output.record.statusReason}\n${result.stderr}`)
    return output.record.metrics.seconds
  } finally {
    rmSync(data, {recursive: true, force: true})
    rmSync(results, {recursive: true, force: true})
  }
}

/**
 * The native engine across hosts against one host, on the same dataset and the same 3 accelerators,
 * in the launch lab: in this process (one host), and one worker per host on the three sshd hosts
 * (127.0.0.2-4) through Open MPI and over plain SSH. On one machine the ratio of aggregate
 * throughputs is the coordination's cost; the time from `mlps` starting to the first epoch starting
 * adds the preflight's probe launch and each worker's start. Runs are interleaved. Datagen likewise:
 * the engine's writing time with the writers on one host against one worker per host over SSH.
 */
export async function benchNativeHosts(): Promise<Record<string, unknown>> {
  const obstacles = labObstacles()
  if (obstacles.length > 0) return {bench: 'native-hosts', skipped: obstacles.join('; ')}
  const lab = await LaunchLab.start()
  const data = tempDir('mlps-bench-native-hosts-')
  try {
    const env = {...isolatedEnv(), ...lab.env()}
    const datagen = await execa(process.execPath, [mlpsBin, 'training', 'datagen', ...WORKLOAD, '--data-dir', data, '-n', '2', '--engine', 'native', '--results-dir', tempDir(), '--json'],
      {env, extendEnv: false, reject: false, stdin: 'ignore'})
    if (datagen.exitCode !== 0) throw new Error(`datagen failed: ${datagen.stderr}`)
    const config = (settings: Record<string, unknown>) => {
      const file = join(tempDir('mlps-bench-config-'), 'mlps.config.json')
      writeFileSync(file, JSON.stringify({ssh: lab.sshSettings(), ...settings}))
      return file
    }
    const setups: Array<[string, string[]]> = [
      ['one_host', []],
      ['three_hosts_openmpi', ['--hosts', LAB_HOSTS.join(','), '--config', config({launcher: {type: 'openmpi'}})]],
      ['three_hosts_ssh', ['--hosts', LAB_HOSTS.join(','), '--config', config({engines: {native: {launch: 'ssh'}}})]],
    ]
    const measured: Record<string, Measured[]> = Object.fromEntries(setups.map(([name]) => [name, []]))
    for (let run = 0; run < RUNS; run++) {
      for (const [name, extra] of setups) measured[name].push(await train(env, data, extra))
    }
    const figures: Record<string, unknown> = {bench: 'native-hosts', accelerators: ACCELERATORS, runs: RUNS}
    const baseline = median(measured.one_host.map(m => m.samplesPerSecond))
    for (const [name] of setups) {
      const throughput = median(measured[name].map(m => m.samplesPerSecond))
      figures[`${name}_samples_per_second`] = Number(throughput.toFixed(1))
      figures[`${name}_throughput_ratio`] = Number((throughput / baseline).toFixed(3))
      figures[`${name}_first_epoch_ms`] = Math.round(median(measured[name].map(m => m.firstEpochMs)))
    }
    // datagen: the writers on one host against one per host over SSH (on one machine: what spreading the files costs)
    const datagenRuns: Record<'one_host' | 'three_hosts_ssh', number[]> = {one_host: [], three_hosts_ssh: []}
    for (let run = 0; run < RUNS; run++) {
      datagenRuns.one_host.push(await datagenSeconds(env, []))
      datagenRuns.three_hosts_ssh.push(await datagenSeconds(env, setups[2][1]))
    }
    const datagenBaseline = median(datagenRuns.one_host)
    for (const [name, seconds] of Object.entries(datagenRuns)) {
      figures[`datagen_${name}_seconds`] = Number(median(seconds).toFixed(3))
      figures[`datagen_${name}_time_ratio`] = Number((median(seconds) / datagenBaseline).toFixed(3))
    }
    return figures
  } finally {
    rmSync(data, {recursive: true, force: true})
    await lab.stop()
  }
}

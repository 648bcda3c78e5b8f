import assert from 'node:assert/strict'
import {readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {isolatedEnv, parseJson, runCli, startCli, tempDir} from '../helpers/cli.js'
import {LAB_HOSTS} from './launch-lab.js'
import {useLaunchLab} from './use-lab.js'

interface Worker {host: string; pid: number; sshServer?: string}
interface HostsProgressEvent {
  event: string; stage: string; done: number; total?: number; figures: Array<{value: number; unit: string}>
  hosts?: Array<{host: string; done?: number; total?: number; figures?: Array<{value: number; unit: string}>; fields: Record<string, string>}>
}
interface RunJson {
  status: string
  leaf?: string
  record: {
    runId: string; statusReason?: string; findings: Array<{ruleId: string; severity: string; message: string; fix?: string}>
    commands: Array<{argv: string[]; exitCode?: number | null}>
    extra: {native?: {hosts?: {transport: string; workers: Worker[]; barriers: Array<{name: string}>}; failedHost?: string}; cluster?: {timeseries: {hostsCollected: string[]} | null}}
  }
}

/** Every process on this machine marked with the run's id: on the lab's loopback hosts, that is every host's. */
function processesOfRun(runId: string): number[] {
  const marker = Buffer.from(`MLPS_RUN_ID=${runId}\0`)
  return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).map(Number).filter(pid => {
    try {
      return readFileSync(`/proc/${pid}/environ`).includes(marker)
    } catch {
      return false
    }
  })
}

/** The processes of a run on each loopback host, by the sshd address they came in through ('this machine' for the rest). */
function processesOfRunByHost(runId: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const pid of processesOfRun(runId)) {
    let host = 'this machine'
    try {
      const connection = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find(line => line.startsWith('SSH_CONNECTION='))
      if (connection) host = connection.split(' ')[2]
    } catch {
      continue
    }
    counts.set(host, (counts.get(host) ?? 0) + 1)
  }
  return counts
}

/**
 * The native host workers now running (any run; a run's own, not the preflight's probe), with the sshd address and
 * port each came in through: the port tells this lab's workers from those of another test process's lab on the same addresses.
 */
function nativeWorkers(launch = /_run$/): Array<{pid: number; runId?: string; via?: string; port?: number}> {
  return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).flatMap(entry => {
    try {
      // the worker itself, not the launcher whose argv names it
      const [, entryFile] = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (!entryFile?.endsWith('host-worker-main.js')) return []
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      const value = (name: string) => environ.find(line => line.startsWith(`${name}=`))?.slice(name.length + 1)
      if (!launch.test(value('MLPS_NATIVE_LAUNCH') ?? '')) return []
      const [, , via, port] = value('SSH_CONNECTION')?.split(' ') ?? []
      return [{pid: Number(entry), runId: value('MLPS_RUN_ID'), via, port: port === undefined ? undefined : Number(port)}]
    } catch {
      return []
    }
  })
}

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
  const start = Date.now()
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/**
 * Once the run's NDJSON progress (MLPS_PROGRESS_EVENT_INTERVAL set) shows every host running with a step done; the
 * run's stderr so far, for messages. A run that ends first is an error.
 */
async function everyHostTrained(run: ReturnType<typeof startCli>): Promise<() => string> {
  let stderr = ''
  const trained = new Promise<void>(resolve => run.stderr!.on('data', (chunk: Buffer) => {
    stderr += String(chunk)
    // whole lines only: a chunk may end mid-event
    const events = stderr.split('\n').slice(0, -1).filter(line => line.startsWith('{')).map(line => JSON.parse(line) as HostsProgressEvent)
    if (events.some(event => event.hosts?.length === 3 && event.hosts.every(host => host.fields.state === 'running' && host.done! > 0))) resolve()
  }))
  await Promise.race([trained, run.then(() => { throw new Error(`the run ended before every host trained:\n${stderr}`) })])
  return () => stderr
}

describe('the native engine across the three lab hosts (built CLI; real sshd on 127.0.0.2-4, real mpirun, mpiexec.mpich, srun, ssh)', function () {
  this.timeout(240_000)
  const lab = useLaunchLab()
  let data: string

  const env = () => ({...isolatedEnv(), ...lab().env()})
  function config(settings: Record<string, unknown>): string {
    const file = join(tempDir('mlps-native-lab-'), 'mlps.config.json')
    writeFileSync(file, JSON.stringify({ssh: lab().sshSettings(), sampleIntervalSeconds: 0.5, ...settings}))
    return file
  }
  const WORKLOAD = ['-m', 'unet3d', '--param', 'dataset.num_files_train=96', '--param', 'dataset.record_length_bytes=65536', '--param', 'dataset.record_length_bytes_stdev=0']
  const training = (processes: number, extra: string[]) => ['training', 'run', ...WORKLOAD, '-g', 'h100', '-n', String(processes), '--open', '--data-dir', data,
    '--param', 'train.epochs=2', '--param', 'train.computation_time=0.01', '--results-dir', tempDir(), '--engine', 'native', '--json', ...extra]

  before(async function () {
    this.timeout(120_000)
    data = tempDir('mlps-native-lab-data-')
    const result = await runCli(['training', 'datagen', ...WORKLOAD, '--data-dir', data, '-n', '2', '--engine', 'native', '--results-dir', tempDir(), '--json'], {env: isolatedEnv()})
    assert.equal(result.exitCode, 0, result.stderr)
  })

  /** Every rank file is there, and each names the host its worker ran on. */
  function assertRanksOnHosts(output: RunJson, expected: string[]): void {
    const leaf = output.leaf!
    const ranks = expected.map((_, rank) => rank)
    assert.deepEqual(readdirSync(leaf).filter(name => /^\d+_output\.json$/.test(name)).sort(), ranks.map(rank => `${rank}_output.json`).sort())
    for (const rank of ranks) {
      assert.ok(readdirSync(leaf).includes(`${rank}_per_epoch_stats.json`))
      assert.equal((JSON.parse(readFileSync(join(leaf, `${rank}_output.json`), 'utf8')) as {hostname: string}).hostname, expected[rank], `rank ${rank}`)
    }
    const summary = JSON.parse(readFileSync(join(leaf, 'summary.json'), 'utf8')) as {num_hosts: number; num_accelerators: number; metric: {train_throughput_samples_per_second: number[]}}
    assert.equal(summary.num_hosts, new Set(expected).size)
    assert.equal(summary.num_accelerators, expected.length)
    assert.equal(summary.metric.train_throughput_samples_per_second.length, 2)
  }

  it('Open MPI: six ranks, two per host, each host\'s worker started through that host\'s sshd, and every host sampled', async () => {
    const result = await runCli(training(6, ['--hosts', LAB_HOSTS.join(','), '--collector', 'ssh', '--config', config({launcher: {type: 'openmpi'}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    const hosts = output.record.extra.native?.hosts
    assert.equal(hosts?.transport, 'openmpi')
    assert.match(output.record.commands[0].argv[0], /mpirun$/)
    assert.deepEqual(hosts?.workers.map(worker => [worker.host, worker.sshServer]), LAB_HOSTS.map(host => [host, host]))
    assert.deepEqual(hosts?.barriers.map(barrier => barrier.name), ['epoch 1 start', 'epoch 1 end', 'epoch 2 start', 'epoch 2 end'])
    // --map-by node: rank r on host r mod 3, as DLIO's ranks are placed
    assertRanksOnHosts(output, [0, 1, 2, 3, 4, 5].map(rank => LAB_HOSTS[rank % 3]))
    assert.deepEqual(output.record.extra.cluster?.timeseries?.hostsCollected, [...LAB_HOSTS])
    assert.deepEqual(processesOfRun(output.record.runId), [])
  })

  it('MPICH (mpiexec.mpich through each host\'s sshd): three ranks, one per host', async () => {
    const result = await runCli(training(3, ['--hosts', LAB_HOSTS.join(','), '--config', config({launcher: {type: 'mpich'}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.equal(output.record.extra.native?.hosts?.transport, 'mpich')
    assert.match(output.record.commands[0].argv[0], /mpiexec\.(mpich|hydra)$/)
    assert.deepEqual(output.record.extra.native?.hosts?.workers.map(worker => worker.sshServer), [...LAB_HOSTS])
    assertRanksOnHosts(output, [...LAB_HOSTS])
    assert.deepEqual(processesOfRun(output.record.runId), [])
  })

  it('plain SSH (engines.native.launch ssh): one OpenSSH session per host, four ranks spread 2+1+1', async () => {
    const result = await runCli(training(4, ['--hosts', LAB_HOSTS.join(','), '--config', config({engines: {native: {launch: 'ssh'}}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.equal(output.record.extra.native?.hosts?.transport, 'ssh')
    assert.deepEqual(output.record.commands.map(command => command.argv[0]), ['ssh', 'ssh', 'ssh'])
    assert.deepEqual(output.record.extra.native?.hosts?.workers.map(worker => worker.sshServer), [...LAB_HOSTS])
    assertRanksOnHosts(output, [LAB_HOSTS[0], LAB_HOSTS[1], LAB_HOSTS[2], LAB_HOSTS[0]])
    assert.deepEqual(processesOfRun(output.record.runId), [])
  })

  it('single-node srun (engines.native.launch launcher): the worker is a Slurm task, two ranks on the node', async () => {
    const result = await runCli(training(2, ['--config', config({launcher: {type: 'srun'}, engines: {native: {launch: 'launcher'}}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.equal(output.record.extra.native?.hosts?.transport, 'slurm')
    assert.match(output.record.commands[0].argv[0], /srun$/)
    assert.deepEqual(output.record.commands[0].argv.slice(1, 4), ['--ntasks=1', '--nodes=1', '--ntasks-per-node=1'])
    assertRanksOnHosts(output, ['localhost', 'localhost'])
    assert.deepEqual(processesOfRun(output.record.runId), [])
  })

  it('--json over plain SSH: the NDJSON progress events carry one entry per host, each with its steps, samples, figures, epoch and state', async () => {
    const result = await runCli([...training(3, ['--hosts', LAB_HOSTS.join(','), '--config', config({engines: {native: {launch: 'ssh'}}})]), '--param', 'train.computation_time=0.4'],
      {env: {...env(), MLPS_PROGRESS_EVENT_INTERVAL: '0.3'}})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    const events = result.stderr.split('\n').filter(Boolean).map(line => JSON.parse(line) as HostsProgressEvent)
    const withHosts = events.filter(event => event.event === 'progress' && event.stage.startsWith('Training') && event.hosts)
    assert.ok(withHosts.length >= 3, `progress events with hosts: ${withHosts.length}\n${result.stderr}`)
    for (const event of withHosts) assert.deepEqual(event.hosts!.map(host => host.host), [...LAB_HOSTS])
    const running = withHosts.filter(event => event.hosts!.every(host => host.fields.state === 'running'))
    assert.ok(running.length > 0, 'every host running in some event')
    const last = withHosts.at(-1)!
    // each host's steps, its samples so far (one rank of batch 7 per host) and its rates; the run's samples/s is the hosts' summed
    for (const host of last.hosts!) {
      assert.equal(host.total, last.total)
      assert.ok(host.done! > 0, JSON.stringify(host))
      assert.equal(host.fields.samples, String(host.done! * 7))
      assert.match(host.fields.epoch, /^[12]\/2$/)
      assert.ok(host.figures!.find(f => f.unit === 'samples/s')!.value > 0)
    }
    const summed = last.hosts!.reduce((sum, host) => sum + host.figures!.find(f => f.unit === 'samples/s')!.value, 0)
    assert.ok(Math.abs(last.figures.find(f => f.unit === 'samples/s')!.value - summed) < 1e-6)
  })

  it('checkpointing without a terminal (plain): the status line is followed by one line per host with its bytes and checkpoint', async () => {
    const args = ['checkpointing', 'run', '--model', 'llama3-8b', '--num-processes', '3', '--mode', 'default', '--open', '--engine', 'native', '--checkpoint-folder', tempDir('mlps-native-lab-ckpt-'),
      '--results-dir', tempDir(), '--client-host-memory-in-gb', '24', '--scale', '0.001', '--num-checkpoints-write', '2', '--num-checkpoints-read', '2', '--hosts', LAB_HOSTS.join(','),
      '--config', config({engines: {native: {launch: 'ssh'}}, progress: 'plain'})]
    const result = await runCli(args, {env: {...env(), MLPS_PROGRESS_INTERVAL: '0.2'}})
    assert.equal(result.exitCode, 0, result.stderr)
    const lines = result.stderr.split('\n')
    const status = lines.findLastIndex(line => line.startsWith('Checkpointing') && / checkpoint (write|read) \d\/2/.test(line))
    assert.ok(status >= 0, result.stderr)
    for (const [i, host] of LAB_HOSTS.entries()) assert.match(lines[status + 1 + i], new RegExp(`^  ${host.replaceAll('.', '\\.')}  [\\d.]+ [KMG]?i?B(/[\\d.]+ [KMG]?i?B)?  checkpoint (write|read) \\d/2  state (starting|running|done)$`))
  })

  for (const launcher of ['openmpi', 'ssh'] as const) {
    it(`${launcher}: killing the worker on 127.0.0.3 mid-run makes the run FAILED naming that host, and nothing is left on any host`, async () => {
      const settings = launcher === 'ssh' ? {engines: {native: {launch: 'ssh'}}} : {launcher: {type: 'openmpi'}}
      // long enough epochs that the kill lands mid-run
      const run = startCli([...training(3, ['--hosts', LAB_HOSTS.join(','), '--config', config(settings)]), '--param', 'train.computation_time=1', '--param', 'train.epochs=4'],
        {env: {...env(), MLPS_PROGRESS_EVENT_INTERVAL: '0.2'}})
      // the workers meet and train before the kill: a worker killed before it reached the rendezvous is the preflight's case
      await everyHostTrained(run)
      const victim = await until(() => nativeWorkers().find(worker => worker.via === '127.0.0.3' && worker.port === lab().ssh.port), 'the worker on 127.0.0.3')
      process.kill(victim.pid, 'SIGKILL')
      const result = await run
      const output = JSON.parse(String(result.stdout)) as RunJson
      assert.equal(output.status, 'FAILED', `${output.record.statusReason}\n${String(result.stderr)}`)
      assert.equal(result.exitCode, 1, String(result.stderr))
      assert.match(output.record.statusReason ?? '', /127\.0\.0\.3/)
      assert.equal(output.record.extra.native?.failedHost, '127.0.0.3')
      assert.deepEqual(processesOfRun(output.record.runId), [])
      assert.deepEqual(nativeWorkers(/./).filter(worker => worker.runId === victim.runId), [])
    })
  }

  for (const launcher of ['mpich', 'ssh'] as const) {
    it(`${launcher}: SIGINT stops every host's worker within seconds; the run is INTERRUPTED and no process of it is left`, async () => {
      const settings = launcher === 'ssh' ? {engines: {native: {launch: 'ssh'}}} : {launcher: {type: 'mpich'}}
      const run = startCli([...training(3, ['--hosts', LAB_HOSTS.join(','), '--config', config(settings)]), '--param', 'train.computation_time=1', '--param', 'train.epochs=4'], {env: env()})
      const workers = await until(() => {
        const running = nativeWorkers().filter(worker => worker.port === lab().ssh.port)
        const ofOneRun = running.filter(worker => worker.runId === running[0]?.runId)
        return ofOneRun.length === 3 ? ofOneRun : undefined
      }, 'a worker on every host')
      await new Promise(resolve => setTimeout(resolve, 1000))
      const interruptedAt = Date.now()
      run.kill('SIGINT')
      const result = await run
      const stoppedWithin = Date.now() - interruptedAt
      const output = JSON.parse(String(result.stdout)) as RunJson
      assert.equal(output.status, 'INTERRUPTED', `${output.record.statusReason}\n${String(result.stderr)}`)
      assert.equal(result.exitCode, 130)
      assert.ok(stoppedWithin < 15_000, `mlps took ${stoppedWithin} ms to stop`)
      // mlps returns only once every host's worker is gone: counted on each host the moment it returns, no grace
      assert.deepEqual(processesOfRunByHost(output.record.runId), new Map())
      assert.deepEqual(processesOfRun(output.record.runId), [])
      assert.deepEqual(nativeWorkers(/./).filter(worker => workers.some(w => w.pid === worker.pid)), [])
    })
  }

  for (const launcher of ['openmpi', 'ssh'] as const) {
    it(`${launcher}: SIGINT once every host is training (the live view says so) stops them all; no process is left on any host when mlps returns`, async () => {
      const settings = launcher === 'ssh' ? {engines: {native: {launch: 'ssh'}}} : {launcher: {type: 'openmpi'}}
      const run = startCli([...training(3, ['--hosts', LAB_HOSTS.join(','), '--config', config(settings)]), '--param', 'train.computation_time=1', '--param', 'train.epochs=4'],
        {env: {...env(), MLPS_PROGRESS_EVENT_INTERVAL: '0.2'}})
      const stderr = await everyHostTrained(run)
      run.kill('SIGINT')
      const result = await run
      const output = JSON.parse(String(result.stdout)) as RunJson
      assert.equal(output.status, 'INTERRUPTED', `${output.record.statusReason}\n${stderr()}`)
      assert.deepEqual(processesOfRunByHost(output.record.runId), new Map())
    })
  }

  /** Every file under a data folder, by path relative to it, with its size. */
  function filesAndSizes(folder: string): Array<[string, number]> {
    return readdirSync(folder, {recursive: true, withFileTypes: true}).filter(entry => entry.isFile())
      .map((entry): [string, number] => [relative(folder, join(entry.parentPath, entry.name)), statSync(join(entry.parentPath, entry.name)).size]).sort(([a], [b]) => a.localeCompare(b))
  }

  for (const [launcher, settings] of [['ssh', {engines: {native: {launch: 'ssh'}}}], ['openmpi', {launcher: {type: 'openmpi'}}]] as const) {
    it(`datagen through ${launcher}: every host writes its ranks' files (rank r of 6: r, r + 6, ...), and the dataset has every file at its name and size`, async () => {
      const spread = tempDir('mlps-native-lab-datagen-')
      const result = await runCli(['training', 'datagen', ...WORKLOAD, '--data-dir', spread, '-n', '6', '--engine', 'native', '--results-dir', tempDir(), '--json',
        '--hosts', LAB_HOSTS.join(','), '--config', config(settings)], {env: env()})
      const output = parseJson<RunJson & {record: {metrics: {filesWritten: number}; extra: {datagen: {hosts: Array<{host: string; ranks: number[]; filesWritten: number}>}}}}>(result)
      assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
      assert.equal(output.record.extra.native?.hosts?.transport, launcher)
      assert.deepEqual(output.record.extra.native?.hosts?.workers.map(worker => worker.sshServer), [...LAB_HOSTS])
      // 96 files over 6 ranks, two per host as --map-by node seats them: 32 files each
      assert.deepEqual(output.record.extra.datagen.hosts.map(host => [host.host, host.ranks, host.filesWritten]), [[LAB_HOSTS[0], [0, 3], 32], [LAB_HOSTS[1], [1, 4], 32], [LAB_HOSTS[2], [2, 5], 32]])
      assert.equal(output.record.metrics.filesWritten, 96)
      // the same names and sizes as the one-host datagen of the same workload
      const written = filesAndSizes(spread)
      assert.equal(written.length, 96)
      assert.deepEqual(written, filesAndSizes(data))
      assert.deepEqual(processesOfRun(output.record.runId), [])
    })
  }

  const checkpointing = (processes: number, extra: string[]) => ['checkpointing', 'run', '--model', 'llama3-8b', '--num-processes', String(processes), '--mode', 'default', '--open',
    '--engine', 'native', '--checkpoint-folder', tempDir('mlps-native-lab-ckpt-'), '--results-dir', tempDir(), '--client-host-memory-in-gb', '24', '--scale', '0.0005',
    '--num-checkpoints-write', '2', '--num-checkpoints-read', '2', '--json', ...extra]

  for (const [launcher, settings] of [['openmpi', {launcher: {type: 'openmpi'}}], ['mpich', {launcher: {type: 'mpich'}}], ['ssh', {engines: {native: {launch: 'ssh'}}}]] as const) {
    it(`checkpointing through ${launcher}: ranks on every host, every checkpoint begun together, the page cache cleared on every host between write and read`, async () => {
      const result = await runCli(checkpointing(6, ['--hosts', LAB_HOSTS.join(','), '--config', config(settings)]), {env: env()})
      const output = parseJson<RunJson & {record: {extra: {checkpointing: {writeEndToReadStartSeconds: number; cacheClear: {cleared: boolean}}}}}>(result)
      assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
      const hosts = output.record.extra.native?.hosts
      assert.equal(hosts?.transport, launcher)
      assert.deepEqual(hosts?.workers.map(worker => worker.sshServer), [...LAB_HOSTS])
      assert.deepEqual(hosts?.barriers.map(barrier => barrier.name), ['write 1 start', 'write 1 end', 'write 2 start', 'write 2 end', 'read 1 start', 'read 1 end', 'read 2 start', 'read 2 end'])
      const leaf = output.leaf!
      for (let rank = 0; rank < 6; rank++) {
        const stats = JSON.parse(readFileSync(join(leaf, `${rank}_per_epoch_stats.json`), 'utf8')) as Record<string, {hostname: string; save_ckpt2?: unknown; load_ckpt2?: unknown}>
        assert.equal(stats['1'].hostname, LAB_HOSTS[rank % 3], `rank ${rank}`)
        assert.ok(stats['1'].save_ckpt2 && stats['1'].load_ckpt2, `rank ${rank} wrote and read both checkpoints`)
      }
      const summary = JSON.parse(readFileSync(join(leaf, 'summary.json'), 'utf8')) as {num_hosts: number; num_accelerators: number; metric: {save_checkpoint_io_mean_GB_per_second: number; load_checkpoint_io_mean_GB_per_second: number}}
      assert.equal(summary.num_hosts, 3)
      assert.equal(summary.num_accelerators, 6)
      assert.ok(summary.metric.save_checkpoint_io_mean_GB_per_second > 0 && summary.metric.load_checkpoint_io_mean_GB_per_second > 0)
      // the lab runs as root: every host cleared its page cache, and the gap runs from the last write on any host to the first read on any host
      assert.equal(output.record.extra.checkpointing.cacheClear.cleared, true)
      assert.ok(output.record.extra.checkpointing.writeEndToReadStartSeconds > 0)
      assert.deepEqual(processesOfRun(output.record.runId), [])
    })
  }

  it('checkpointing on single-node srun: the worker is a Slurm task', async () => {
    const result = await runCli(checkpointing(2, ['--config', config({launcher: {type: 'srun'}, engines: {native: {launch: 'launcher'}}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.equal(output.record.extra.native?.hosts?.transport, 'slurm')
    assert.deepEqual(readdirSync(output.leaf!).filter(name => /^\d+_per_epoch_stats\.json$/.test(name)).sort(), ['0_per_epoch_stats.json', '1_per_epoch_stats.json'])
  })

  const kvcache = (extra: string[]) => ['kvcache', 'run', '--open', '--engine', 'native', '--option', '2', '--trials', '1', '--duration', '3', '--model', 'llama3.1-8b',
    '--num-users', '2', '--max-context-tokens', '256', '--inter-option-delay', '0', '--cache-dir', tempDir('mlps-native-lab-kv-'), '--results-dir', tempDir(), '--json', ...extra]

  for (const [launcher, settings] of [['openmpi', {launcher: {type: 'openmpi'}}], ['mpich', {launcher: {type: 'mpich'}}], ['ssh', {engines: {native: {launch: 'ssh'}}}]] as const) {
    it(`KV cache through ${launcher}: one rank per host, each rank's results in its folder naming its host, aggregated as kvcache-py's`, async () => {
      const result = await runCli(kvcache(['--npernode', '1', '--hosts', LAB_HOSTS.join(','), '--config', config(settings)]), {env: env()})
      const output = parseJson<RunJson & {record: {metrics?: Record<string, unknown>}}>(result)
      assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
      assert.equal(output.record.extra.native?.hosts?.transport, launcher)
      assert.deepEqual(output.record.extra.native?.hosts?.barriers.map(barrier => barrier.name), ['pass 1 start', 'pass 1 end'])
      const trial = join(output.leaf!, 'option_2', 'trial_0')
      assert.deepEqual(readdirSync(trial).filter(name => name.startsWith('rank_')).sort(), ['rank_0', 'rank_1', 'rank_2'])
      for (const rank of [0, 1, 2]) {
        const results = readdirSync(join(trial, `rank_${rank}`)).filter(name => /^kvcache_results_.*\.json$/.test(name))
        assert.equal(results.length, 1)
        assert.equal((JSON.parse(readFileSync(join(trial, `rank_${rank}`, results[0]), 'utf8')) as {hostname: string}).hostname, LAB_HOSTS[rank])
      }
      assert.deepEqual(processesOfRun(output.record.runId), [])
    })
  }

  it('KV cache on single-node srun: two ranks in one Slurm task', async () => {
    const result = await runCli(kvcache(['--num-processes', '2', '--config', config({launcher: {type: 'srun'}, engines: {native: {launch: 'launcher'}}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.equal(output.record.extra.native?.hosts?.transport, 'slurm')
    assert.deepEqual(readdirSync(join(output.leaf!, 'option_2', 'trial_0')).filter(name => name.startsWith('rank_')).sort(), ['rank_0', 'rank_1'])
  })

  it('a host no worker can be started on (127.0.0.5: no sshd) is a preflight error naming it, before anything starts', async () => {
    const result = await runCli(training(3, ['--hosts', [...LAB_HOSTS.slice(0, 2), '127.0.0.5'].join(','), '--config', config({engines: {native: {launch: 'ssh'}}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(result.exitCode, 3, result.stderr)
    assert.deepEqual(output.record.commands, [])
    const finding = output.record.findings.find(f => f.ruleId === 'native.rendezvous')
    assert.equal(finding?.severity, 'error', JSON.stringify(output.record.findings))
    // the two hosts that are up are not blamed, though their workers start later than 127.0.0.5's ssh fails
    assert.match(finding?.message ?? '', /a worker on 127\.0\.0\.5 could not take part: 127\.0\.0\.5 did not reach the rendezvous at [\d.]+:\d+ \(127\.0\.0\.5: ssh exited with code 255\)/)
    assert.deepEqual(nativeWorkers(/./).filter(worker => worker.runId === output.record.runId), [])
  })

  it('hosts that cannot reach the rendezvous address (a firewall dropping it) are a preflight error naming every host, with what to open', async () => {
    // TEST-NET-1 answers nothing, as a port a firewall drops
    const settings = {launcher: {type: 'mpich'}, engines: {native: {rendezvous: {address: '192.0.2.1', connectTimeoutSeconds: 4}}}}
    const result = await runCli(training(3, ['--hosts', LAB_HOSTS.join(','), '--config', config(settings)]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(result.exitCode, 3, result.stderr)
    assert.deepEqual(output.record.commands, [])
    const finding = output.record.findings.find(f => f.ruleId === 'native.rendezvous')
    assert.match(finding?.message ?? '', new RegExp(`${LAB_HOSTS.join(', ').replaceAll('.', '\\.')} did not reach the rendezvous at 192\\.0\\.2\\.1:\\d+`))
    assert.match(finding?.fix ?? '', /engines\.native\.rendezvous\.port/)
    assert.deepEqual(nativeWorkers(/./).filter(worker => worker.runId === output.record.runId), [])
  })
})

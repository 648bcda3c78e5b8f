import assert from 'node:assert/strict'
import {readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {isolatedEnv, parseJson, startCli, tempDir} from '../helpers/cli.js'
import {startS3Server, type TestS3Server} from '../helpers/s3-server.js'
import {LAB_HOSTS} from './launch-lab.js'
import {useLaunchLab} from './use-lab.js'
import {filesUnder} from '../helpers/files-under.js'

interface RunJson {
  status: string
  leaf?: string
  record: {
    runId: string; statusReason?: string
    storage?: Array<{role: string; kind: string; uri?: string}>
    metrics?: Record<string, unknown>
    extra: {native?: {hosts?: {transport: string; workers: Array<{host: string; sshServer?: string}>}}; datagen?: {hosts?: Array<{host: string; filesWritten: number}>}}
  }
}


/** Every command line on this machine (the lab's hosts are loopback addresses of it) that holds `secret`. */
function commandLinesHolding(secret: string): string[] {
  return readdirSync('/proc').filter(entry => /^\d+$/.test(entry)).flatMap(pid => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'latin1')
      return argv.includes(secret) ? [argv.replaceAll('\0', ' ')] : []
    } catch {
      return []
    }
  })
}

/** Runs the CLI while looking at every process's command line every 50 ms, for the secret. */
async function runWatchingCommandLines(args: string[], env: NodeJS.ProcessEnv, secret: string): Promise<{stdout: string; stderr: string; exitCode: number; holding: string[]}> {
  const run = startCli(args, {env})
  const holding: string[] = []
  const watch = setInterval(() => holding.push(...commandLinesHolding(secret)), 50)
  try {
    const result = await run
    return {stdout: String(result.stdout), stderr: String(result.stderr), exitCode: result.exitCode ?? -1, holding}
  } finally {
    clearInterval(watch)
  }
}

describe('the native engine on a bucket across the three lab hosts (built CLI; sshd on 127.0.0.2-4, real mpirun and mpiexec.mpich, s3rver on 127.0.0.1)', function () {
  this.timeout(300_000)
  const lab = useLaunchLab()
  let server: TestS3Server
  let home: string
  let results: string

  before(async function () {
    this.timeout(60_000)
    // the lab's hosts are addresses of this machine: s3rver on 127.0.0.1 is reachable from every host's session
    server = await startS3Server('mlps-hosts')
    home = tempDir('mlps-s3-hosts-home-')
    results = tempDir('mlps-s3-hosts-results-')
  })
  after(async () => {
    await server?.stop()
  })

  // the credentials are in the environment of mlps only: the hosts' sessions start without them
  const env = () => ({...isolatedEnv(home), ...lab().env(), ...server.credentialsEnv})
  function config(settings: Record<string, unknown>): string {
    const file = join(tempDir('mlps-s3-hosts-'), 'mlps.config.json')
    writeFileSync(file, JSON.stringify({ssh: lab().sshSettings(), objectStorage: {endpoint: server.endpoint}, ...settings}))
    return file
  }
  const WORKLOAD = ['-m', 'unet3d', '--param', 'dataset.num_files_train=24', '--param', 'dataset.record_length_bytes=65536', '--param', 'dataset.record_length_bytes_stdev=0']
  const hosts = ['--hosts', LAB_HOSTS.join(',')]

  async function cli(args: string[]): Promise<RunJson & {leaf: string}> {
    const result = await runWatchingCommandLines([...args, '--results-dir', results, '--engine', 'native', '--json'], env(), server.secretKey)
    assert.deepEqual(result.holding, [], 'no command line on any host holds the secret key')
    const output = parseJson<RunJson & {leaf: string}>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.equal(result.exitCode, 0, result.stderr)
    return output
  }

  function assertWorkersOnEveryHost(output: RunJson, transport: string): void {
    assert.equal(output.record.extra.native?.hosts?.transport, transport)
    assert.deepEqual(output.record.extra.native?.hosts?.workers.map(worker => worker.sshServer), [...LAB_HOSTS])
  }

  for (const [launcher, settings, transport] of [
    ['plain SSH', {engines: {native: {launch: 'ssh'}}}, 'ssh'],
    ['Open MPI', {launcher: {type: 'openmpi'}}, 'openmpi'],
  ] as const) {
    it(`${launcher}: training datagen writes each host's share of the objects, and a run on three hosts reads them`, async () => {
      const prefix = `train-${transport}`
      const dataDir = `s3://${server.bucket}/${prefix}`
      const generated = await cli(['training', 'datagen', ...WORKLOAD, '--data-dir', dataDir, '-n', '3', ...hosts, '--config', config(settings)])
      assertWorkersOnEveryHost(generated, transport)
      assert.deepEqual(generated.record.extra.datagen?.hosts?.map(host => [host.host, host.filesWritten]), LAB_HOSTS.map(host => [host, 8]), 'rank r of 3 writes files r, r + 3, ...')
      // the server's own folder says what is stored: DLIO's names, the planned sizes
      const stored = server.storedObjects(`${prefix}/unet3d/train/`)
      assert.equal(stored.size, 24)
      assert.deepEqual([...stored.keys()], Array.from({length: 24}, (_, i) => `${prefix}/unet3d/train/img_${String(i).padStart(2, '0')}_of_24.npz`))
      assert.equal(generated.record.metrics?.bytesTotal, [...stored.values()].reduce((sum, size) => sum + size, 0))

      const ran = await cli(['training', 'run', ...WORKLOAD, '-g', 'h100', '-n', '3', '--open', '--data-dir', dataDir, '--param', 'train.epochs=1', '--param', 'train.computation_time=0.01',
        ...hosts, '--config', config(settings)])
      assertWorkersOnEveryHost(ran, transport)
      assert.deepEqual(ran.record.storage?.map(entry => [entry.role, entry.kind, entry.uri]), [['data_dir', 'object', `${dataDir}/unet3d`]])
      for (const rank of [0, 1, 2]) {
        assert.equal((JSON.parse(readFileSync(join(ran.leaf, `${rank}_output.json`), 'utf8')) as {hostname: string}).hostname, LAB_HOSTS[rank])
      }
      const summary = JSON.parse(readFileSync(join(ran.leaf, 'summary.json'), 'utf8')) as {num_hosts: number; metric: {train_au_percentage: number[]}}
      assert.equal(summary.num_hosts, 3)
      assert.equal(summary.metric.train_au_percentage.length, 1)
      assert.ok(Number(ran.record.metrics?.bytesRead) > 0)
    })
  }

  for (const [launcher, settings, transport] of [
    ['plain SSH', {engines: {native: {launch: 'ssh'}}}, 'ssh'],
    ['MPICH', {launcher: {type: 'mpich'}}, 'mpich'],
  ] as const) {
    it(`${launcher}: checkpointing writes every rank's shards as objects from its own host (multipart for the large ones) and reads them back`, async () => {
      const prefix = `ckpt-${transport}`
      const output = await cli(['checkpointing', 'run', '--model', 'llama3-8b', '--num-processes', '3', '--mode', 'default', '--open', '--checkpoint-folder', `s3://${server.bucket}/${prefix}`,
        '--client-host-memory-in-gb', '24', '--scale', '0.001', '--num-checkpoints-write', '2', '--num-checkpoints-read', '1', ...hosts, '--config', config(settings)])
      assertWorkersOnEveryHost(output, transport)
      const stored = server.storedObjects(`${prefix}/`)
      const steps = new Set([...stored.keys()].map(key => key.split('/')[2]))
      assert.deepEqual([...steps].sort(), ['global_epoch1_step1', 'global_epoch1_step2'])
      for (const rank of [0, 1, 2]) assert.ok([...stored.keys()].some(key => key.includes(`zero_pp_rank_${rank}_`)), `rank ${rank}'s shards`)
      assert.ok([...stored.values()].some(size => size > 16 << 20), 'a shard larger than a part went up as a multipart upload')
      assert.equal(output.record.metrics?.bytesWritten, [...stored.values()].reduce((sum, size) => sum + size, 0))
      assert.equal(Number(output.record.metrics?.bytesRead) * 2, output.record.metrics?.bytesWritten)
      assert.deepEqual(server.openUploads(), [])
      for (const rank of [0, 1, 2]) {
        const stats = JSON.parse(readFileSync(join(output.leaf, `${rank}_per_epoch_stats.json`), 'utf8')) as {1: {hostname: string; load_ckpt1?: unknown}}
        assert.equal(stats[1].hostname, LAB_HOSTS[rank])
        assert.ok(stats[1].load_ckpt1, `rank ${rank} read checkpoint 1`)
      }
    })
  }

  it('no credential value reaches the results tree, its host logs or the history', () => {
    const written = [...filesUnder(results), ...filesUnder(home)].filter(file => statSync(file).size < 50 * 2 ** 20)
    assert.ok(written.some(file => file.endsWith('.stdout.log')), 'the hosts\' logs are among them')
    assert.ok(written.some(file => file.endsWith('history.jsonl')))
    for (const secret of [server.secretKey, server.accessKey]) {
      for (const file of written) assert.ok(!readFileSync(file, 'latin1').includes(secret), `${file} holds a credential`)
    }
  })
})

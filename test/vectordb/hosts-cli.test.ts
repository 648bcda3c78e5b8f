import assert from 'node:assert/strict'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import {join} from 'node:path'
import {isolatedEnv, parseJson, repoRoot, runCli, tempDir} from '../helpers/cli.js'

interface HostPlan {host: string; processes: number; outputDir: string; argv: string[]}
interface Output {
  exitCode: number
  leaf?: string
  plan?: {launcher: string; argv?: string[]; details: {orchestration: string; hosts?: HostPlan[]}}
  record: {status: string; statusReason?: string; metrics: Record<string, number | boolean>}
}

const standIn = join(repoRoot, 'fixtures', 'vectordb', 'stand-in')

function configFile(dir: string, ssh: Record<string, unknown> = {}): string {
  const file = join(dir, 'mlps.config.json')
  writeFileSync(file, JSON.stringify({engines: {vdbbench: {binDir: standIn}}, ssh}))
  return file
}

const run = (results: string, port: number, more: string[], config = configFile(results)) => [
  'vectordb', 'run', '--engine', 'vdbbench', '--num-query-processes', '3', '--batch-size', '2', '--runtime', '5',
  '--port', String(port), '--results-dir', results, '--config', config, '--json', ...more,
]

describe('mlps vectordb run --engine vdbbench across hosts (stand-in vdbbench script; Milvus and the real scripts cannot exist here)', function () {
  this.timeout(90_000)
  // answers the reachability check; its REST API is absent, so the collection check is "not evaluable"
  let milvus: Server
  let port: number
  before(async () => {
    milvus = createServer((_request, response) => response.writeHead(404).end())
    await new Promise<void>(resolve => milvus.listen(0, '127.0.0.1', resolve))
    port = (milvus.address() as {port: number}).port
  })
  after(() => milvus.close())

  it('--dry-run --json prints the launcher argv and each host\'s vdbbench argv for --orchestration mpi', async () => {
    const results = tempDir()
    const out = parseJson<Output>(await runCli(run(results, port, ['--hosts', 'localhost,127.0.0.1', '--orchestration', 'mpi', '--dry-run'])))
    assert.equal(out.exitCode, 0)
    assert.equal(out.plan!.details.orchestration, 'mpi')
    assert.equal(out.plan!.launcher, 'openmpi')
    const argv = out.plan!.argv!
    assert.match(argv[0], /mpirun$/)
    assert.deepEqual(argv.slice(1, 4), ['-n', '2', '-host'])
    assert.equal(argv[4], 'localhost:1,127.0.0.1:1')
    assert.ok(argv.includes('--allow-run-as-root') === (process.getuid?.() === 0))
    assert.match(argv.at(-1)!, /\/vector_database\/milvus\/DISKANN\/run\/\d{8}_\d{6}\/host_argv\.json$/)
    const hosts = out.plan!.details.hosts!
    assert.deepEqual(hosts.map(h => [h.host, h.processes]), [['localhost', 2], ['127.0.0.1', 1]])
    assert.equal(hosts[1].argv[0], join(standIn, 'vdbbench'))
    assert.match(hosts[1].argv[hosts[1].argv.indexOf('--output-dir') + 1], /\/host_127\.0\.0\.1$/)
  })

  it('--dry-run --json prints each host\'s OpenSSH argv for --orchestration ssh, with config.ssh', async () => {
    const results = tempDir()
    const config = configFile(results, {port: 2222, user: 'bench'})
    const out = parseJson<Output>(await runCli(run(results, port, ['--hosts', 'node01,node02', '--orchestration', 'ssh', '--dry-run'], config)))
    assert.equal(out.exitCode, 0)
    assert.equal(out.plan!.launcher, 'ssh')
    const hosts = out.plan!.details.hosts!
    assert.deepEqual(hosts.map(h => [h.host, h.processes]), [['node01', 2], ['node02', 1]])
    const ssh = hosts[1].argv
    assert.deepEqual([ssh[0], ssh.includes('BatchMode=yes'), ssh[ssh.indexOf('-p') + 1], ssh[ssh.indexOf('-l') + 1], ssh[ssh.indexOf('--') + 1]], ['ssh', true, '2222', 'bench', 'node02'])
    assert.match(ssh.at(-1)!, /^mkdir -p \S+\/host_node02 && cd \S+\/host_node02 && exec \S+\/vdbbench .*--processes 1 .*--no-create-flat$/)
  })

  it('the default is local when every host is this machine: one vdbbench with all the processes', async () => {
    const out = parseJson<Output>(await runCli(run(tempDir(), port, ['--hosts', 'localhost,127.0.0.1', '--dry-run'])))
    assert.equal(out.plan!.details.orchestration, 'local')
    assert.equal(out.plan!.argv![out.plan!.argv!.indexOf('--processes') + 1], '3')
  })

  it('runs the stand-in on 2 hosts through real mpirun, collects host_<name>/ outputs and combines them', async () => {
    const results = tempDir()
    const out = parseJson<Output>(await runCli(run(results, port, ['--hosts', 'localhost,127.0.0.1', '--orchestration', 'mpi']), {env: isolatedEnv()}))
    assert.equal(out.record.status, 'COMPLETED', out.record.statusReason)
    for (const host of ['host_localhost', 'host_127.0.0.1']) {
      assert.ok(existsSync(join(out.leaf!, host, 'statistics.json')), `${host}/statistics.json`)
      assert.match(readFileSync(join(out.leaf!, host, 'vector_database_run.stdout.log'), 'utf8'), /^RESULT: valid$/m)
    }
    // stand-in: 1000 × processes × batch queries in 10 s per host; localhost ran 2 processes, 127.0.0.1 ran 1
    const metrics = out.record.metrics
    assert.equal(metrics.total_queries, 4000 + 2000)
    assert.equal(metrics.throughput_qps, 400 + 200)
    assert.equal(metrics.p99_latency_ms, 5, 'the larger host p99 (3 + 2 processes)')
    assert.equal(metrics.recall_at_k, 0.91, 'the lower host recall')
    assert.equal(metrics.hosts, 2)
    assert.equal(metrics.result_valid, true)
    const summary = JSON.parse(readFileSync(join(out.leaf!, 'summary.json'), 'utf8'))
    assert.deepEqual(summary.hosts.map((h: {host: string; processes: number}) => [h.host, h.processes]), [['localhost', 2], ['127.0.0.1', 1]])
  })

  it('fails the run, naming the host, when one host\'s output is missing (stand-in writes nothing on 127.0.0.1)', async () => {
    const env = {...isolatedEnv(), VDBBENCH_STANDIN_SILENT_HOST: '127.0.0.1'}
    const result = await runCli(run(tempDir(), port, ['--hosts', 'localhost,127.0.0.1', '--orchestration', 'mpi']), {env})
    const out = parseJson<Output>(result)
    assert.equal(out.record.status, 'FAILED')
    assert.notEqual(out.exitCode, 0)
    assert.match(out.record.statusReason!, /no vdbbench statistics from 127\.0\.0\.1 \(host_127\.0\.0\.1\/statistics\.json/)
    assert.ok(existsSync(join(out.leaf!, 'host_localhost', 'statistics.json')), 'the other host still wrote its output')
  })
})

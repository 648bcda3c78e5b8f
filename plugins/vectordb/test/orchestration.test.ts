import assert from 'node:assert/strict'
import type {VectordbRunOptions} from '@mlps/run-options'
import {type RunContext} from 'mlps'
import {MlpsConfigSchema} from 'mlps/unstable'
import {chooseOrchestration, combineHostStatistics, HOST_SHIM, hostFolder, hostShares, parseVdbbenchStatistics, planHostRuns, vectordbOptions} from '@mlps/plugin-vectordb'
import {readFileSync} from 'node:fs'

const fixtureStats = parseVdbbenchStatistics(readFileSync('fixtures/vectordb/statistics.json', 'utf8'), 'statistics.json')

function context(hosts: Array<{name: string; slots?: number}>, extra: {orchestration?: VectordbRunOptions['orchestration']; config?: Record<string, unknown>} = {}): RunContext<VectordbRunOptions> {
  const config = MlpsConfigSchema.parse(extra.config ?? {})
  const {options} = vectordbOptions('run', {engine: 'vdbbench', 'num-query-processes': 5, orchestration: extra.orchestration}, {config} as never)
  return {command: 'run', options, hosts, config, engineOptions: {python: 'python3'}, runId: 'run-1'} as unknown as RunContext<VectordbRunOptions>
}

describe('vdbbench across hosts', () => {
  it('spreads the query processes over the hosts as the reference places ranks, one folder per host', () => {
    assert.deepEqual(hostShares([{name: 'n1'}, {name: 'n2'}, {name: 'n3'}], 5, '/leaf').map(s => [s.name, s.processes, s.outputDir]),
      [['n1', 2, '/leaf/host_n1'], ['n2', 2, '/leaf/host_n2'], ['n3', 1, '/leaf/host_n3']])
    assert.deepEqual(hostShares([{name: 'n1', slots: 1}, {name: 'n2', slots: 8}], 5, '/leaf').map(s => s.processes), [1, 4])
    assert.deepEqual(hostShares([{name: 'n1'}, {name: 'n2'}], 1, '/leaf').map(s => s.name), ['n1'])
    assert.equal(hostFolder('::1'), 'host___1')
    assert.throws(() => hostShares([{name: 'n1'}, {name: 'n1'}], 2, '/leaf'), /n1 is listed twice/)
  })

  it('chooses local when every host is this machine, and refuses local with a remote host', async () => {
    assert.equal((await chooseOrchestration(context([{name: 'localhost'}, {name: '127.0.0.1'}]))).mode, 'local')
    await assert.rejects(chooseOrchestration(context([{name: 'node-far-away'}], {orchestration: 'local'})), /--orchestration is local, but the hosts include node-far-away/)
    assert.equal((await chooseOrchestration(context([{name: 'localhost'}], {orchestration: 'ssh'}))).mode, 'ssh')
    const mpi = await chooseOrchestration(context([{name: 'node-far-away'}]))
    assert.equal(mpi.mode, 'mpi', 'Open MPI is installed here, so a remote host goes through it')
    assert.equal(mpi.launcher?.kind, 'openmpi')
  })

  it('builds one launcher argv for mpi: one shim rank per host, each host with its share and folder', async () => {
    const ctx = context([{name: 'n1', slots: 8}, {name: 'n2', slots: 8}], {orchestration: 'mpi'})
    process.env.MILVUS_TOKEN = 'tok-secret-1'
    const plan = planHostRuns(ctx, 'mpi', {kind: 'openmpi', bin: '/usr/bin/mpirun', major: 4}, {prefix: ['uv', 'run']}, '/leaf')
    delete process.env.MILVUS_TOKEN
    const argv = plan.launch!.argv
    assert.deepEqual(argv.slice(0, 5), ['/usr/bin/mpirun', '-n', '2', '-host', 'n1:1,n2:1'])
    assert.deepEqual(argv.slice(-4), ['python3', '-c', HOST_SHIM, '/leaf/host_argv.json'])
    assert.ok(argv.includes('orte_abort_on_non_zero_status'))
    assert.deepEqual(argv.slice(argv.indexOf('MILVUS_TOKEN') - 1, argv.indexOf('MILVUS_TOKEN') + 1), ['-x', 'MILVUS_TOKEN'], 'credentials travel by name')
    assert.ok(!argv.join(' ').includes('tok-secret-1') && !argv.includes('MILVUS_USER'))
    const [first, second] = plan.hosts
    assert.deepEqual([first.processes, second.processes], [3, 2])
    assert.deepEqual(first.argv.slice(0, 2), ['uv', 'run'])
    assert.equal(first.argv[first.argv.indexOf('--processes') + 1], '3')
    assert.equal(second.argv[second.argv.indexOf('--output-dir') + 1], '/leaf/host_n2')
    assert.ok(!first.argv.includes('--no-create-flat') && second.argv.includes('--no-create-flat'))
  })

  it('builds one OpenSSH argv per host for ssh: batch mode, config.ssh, the script words quoted for the remote shell', () => {
    const ctx = context([{name: 'n1'}, {name: 'n 2'}], {config: {ssh: {port: 2222, user: 'bench', identityFile: '/keys/id'}}})
    const plan = planHostRuns(ctx, 'ssh', undefined, {prefix: []}, '/results/it\'s')
    const ssh = plan.hosts[0].sshArgv!
    assert.equal(ssh[0], 'ssh')
    assert.ok(ssh.includes('BatchMode=yes'))
    assert.deepEqual(ssh.slice(ssh.indexOf('-p'), ssh.indexOf('-p') + 2), ['-p', '2222'])
    assert.deepEqual(ssh.slice(ssh.indexOf('--'), ssh.indexOf('--') + 2), ['--', 'n1'])
    assert.equal(ssh.at(-1), `mkdir -p '/results/it'\\''s/host_n1' && cd '/results/it'\\''s/host_n1' && exec vdbbench --host 127.0.0.1 --port 19530 ${ssh.at(-1)!.split('19530 ')[1]}`)
    assert.match(ssh.at(-1)!, /--processes 3 .*--output-dir '\/results\/it'\\''s\/host_n1'/)
    assert.equal(plan.hosts[1].outputDir, '/results/it\'s/host_n_2')
    assert.equal(plan.launch, undefined)
  })

  it('combines hosts: QPS and queries summed, mean weighted by queries, percentiles the max over hosts, lowest recall', () => {
    const slower = {...fixtureStats, total_queries: 100_000, total_time_seconds: 62, throughput_qps: 100_000 / 62, mean_latency_ms: 5, p95_latency_ms: 9, p99_latency_ms: 11, p999_latency_ms: 1,
      recall: {...fixtureStats.recall!, recall_at_k: 0.2}}
    const combined = combineHostStatistics([{host: 'n1', stats: fixtureStats}, {host: 'n2', stats: slower}])
    assert.equal(combined.total_queries, 563_136 + 100_000)
    assert.ok(Math.abs(combined.throughput_qps - (fixtureStats.throughput_qps + 100_000 / 62)) < 1e-9)
    assert.equal(combined.total_time_seconds, 62)
    assert.ok(Math.abs(combined.mean_latency_ms - (fixtureStats.mean_latency_ms * 563_136 + 5 * 100_000) / 663_136) < 1e-9)
    assert.equal(combined.p95_latency_ms, 9)
    assert.equal(combined.p999_latency_ms, fixtureStats.p999_latency_ms)
    assert.equal(combined.recall!.recall_at_k, 0.2)
    assert.deepEqual(combined.combined_from_hosts, ['n1', 'n2'])
  })
})

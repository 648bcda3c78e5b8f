import assert from 'node:assert/strict'
import {copyFileSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {isolatedEnv, mlpsBin, parseJson, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {LAB_HOSTS} from './launch-lab.js'
import {useLaunchLab} from './use-lab.js'

// the DLIO stand-in (fixtures/dlio/standin) and the kv-cache.py stand-in (test/kvcache): the launchers are what is tested here
const DLIO_STANDIN = join(repoRoot, 'fixtures', 'dlio', 'standin', 'dlio_benchmark')
const KV_STANDIN = join(repoRoot, 'test', 'kvcache', 'mock-kv-cache.py')
const KV_SAMPLE = join(repoRoot, 'fixtures', 'kvcache', 'v3-constructed', 'kvcache_results_v3_constructed.json')

interface Timeseries {hostsCollected: string[]; missing: unknown[]}
interface RunJson {
  status: string
  leaf?: string
  record: {
    runId: string; statusReason?: string; findings: Array<{ruleId: string; severity: string; message: string}>
    commands: Array<{argv: string[]; exitCode?: number | null}>; extra: {cluster?: {timeseries: Timeseries | null}}
  }
}

describe('benchmarks through every launcher in the launch lab (built CLI; real srun, mpiexec.mpich, mpirun; stand-in engines)', function () {
  this.timeout(180_000)
  const lab = useLaunchLab()

  function configFile(settings: Record<string, unknown>): string {
    const file = join(tempDir('mlps-lab-config-'), 'mlps.config.json')
    // the stand-ins' data sits beside the results, on one filesystem: a CLOSED run would stop there (test/results/fs-separation.test.ts)
    writeFileSync(file, JSON.stringify({engines: {dlio: {bin: DLIO_STANDIN}}, ssh: lab().sshSettings(), sampleIntervalSeconds: 0.5, preflight: {skip: ['mlps.fsSeparation']}, ...settings}))
    return file
  }

  /** the 8 files the stand-in's workload reads, so the dlio.dataset check before launch finds them (empty: the stand-in reads none) */
  function training(results: string, processes: number, extra: string[]): string[] {
    const train = join(results, 'data', 'unet3d', 'train')
    mkdirSync(train, {recursive: true})
    for (let i = 0; i < 8; i++) writeFileSync(join(train, `img_${i}_of_8.npz`), '')
    return ['training', 'run', '-m', 'unet3d', '-g', 'b200', '-n', String(processes), '--data-dir', join(results, 'data'), '--results-dir', results,
      '--param', 'dataset.num_files_train=8', '--engine', 'dlio', '--json', ...extra]
  }

  const env = (extra: Record<string, string> = {}) => ({...isolatedEnv(), ...lab().env(), ...extra})

  function ranksThatRan(leaf: string): string[] {
    return readdirSync(leaf).filter(name => /^\d+_output\.json$/.test(name)).sort()
  }

  it('srun outside an allocation: srun makes the job, both ranks run', async () => {
    const results = tempDir()
    const result = await runCli(training(results, 2, ['--config', configFile({launcher: {type: 'srun'}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.deepEqual(output.record.commands[0].argv.slice(1, 5), ['--ntasks=2', '--nodes=1', '--ntasks-per-node=2', '--export=ALL'])
    assert.deepEqual(ranksThatRan(output.leaf!), ['0_output.json', '1_output.json'])
  })

  it('srun inside salloc with --collector mpi: the sampler shares the allocation (--overlap), the run ends, every rank is placed by Slurm', async () => {
    const results = tempDir()
    // 4 ranks fill the node's 4 CPUs: a sampler step holding one of them kept the engine's step waiting for ever
    const args = training(results, 4, ['--collector', 'mpi', '--config', configFile({})])
    const result = await execa('salloc', ['-n', '4', process.execPath, mlpsBin, ...args], {env: env(), extendEnv: false, reject: false, stdin: 'ignore', timeout: 90_000, cwd: repoRoot})
    assert.ok(!result.timedOut, `the run did not end within 90 s:\n${result.stderr}`)
    const output = JSON.parse(String(result.stdout)) as RunJson
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.match(output.record.commands[0].argv[0], /srun$/)
    assert.deepEqual(output.record.commands[0].argv.slice(1, 3), ['--ntasks=4', '--export=ALL'], 'the allocation places the ranks')
    assert.deepEqual(ranksThatRan(output.leaf!), ['0_output.json', '1_output.json', '2_output.json', '3_output.json'])
    // no hosts given: the allocation's one node (this machine, by its Slurm name) is the host list
    assert.deepEqual(output.record.extra.cluster?.timeseries?.hostsCollected, [lab().node])
  })

  it('srun outside an allocation with --collector mpi: refused before anything starts, with the fix', async () => {
    const results = tempDir()
    const result = await runCli(training(results, 2, ['--collector', 'mpi', '--config', configFile({launcher: {type: 'srun'}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(result.exitCode, 3, result.stderr)
    assert.deepEqual(output.record.commands, [])
    assert.ok(output.record.findings.some(f => f.ruleId === 'mpi.sampler.allocation' && f.severity === 'error'), JSON.stringify(output.record.findings))
  })

  it('mpiexec.mpich on this machine (launcher.type mpich, no bin): MPICH\'s own mpiexec, not Open MPI\'s', async () => {
    const results = tempDir()
    const result = await runCli(training(results, 2, ['--config', configFile({launcher: {type: 'mpich'}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.match(output.record.commands[0].argv[0], /mpiexec\.(mpich|hydra)$/)
    assert.deepEqual(ranksThatRan(output.leaf!), ['0_output.json', '1_output.json'])
  })

  it('mpiexec.mpich across the three hosts, with the SSH collector sampling every host', async () => {
    const results = tempDir()
    const result = await runCli(training(results, 3, ['--hosts', LAB_HOSTS.join(','), '--collector', 'ssh', '--config', configFile({launcher: {type: 'mpich'}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.deepEqual(output.record.commands[0].argv.slice(1, 5), ['-n', '3', '-hosts', LAB_HOSTS.map(host => `${host}:1`).join(',')])
    assert.deepEqual(ranksThatRan(output.leaf!), ['0_output.json', '1_output.json', '2_output.json'])
    assert.deepEqual(output.record.extra.cluster?.timeseries?.hostsCollected, [...LAB_HOSTS])
    assert.doesNotMatch(result.stderr, /MaxListenersExceededWarning/)
  })

  it('Open MPI across the three hosts, with the MPI collector sampling every host through mpirun', async () => {
    const results = tempDir()
    const result = await runCli(training(results, 3, ['--hosts', LAB_HOSTS.join(','), '--collector', 'mpi', '--config', configFile({launcher: {type: 'openmpi'}})]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.deepEqual(ranksThatRan(output.leaf!), ['0_output.json', '1_output.json', '2_output.json'])
    assert.deepEqual(output.record.extra.cluster?.timeseries?.hostsCollected, [...LAB_HOSTS], JSON.stringify(output.record.extra.cluster?.timeseries?.missing))
    assert.ok(!output.record.findings.some(f => f.ruleId === 'dlio.strays'), JSON.stringify(output.record.findings))
  })

  it('Open MPI across the three hosts: a rank failing on 127.0.0.3 makes the run FAILED, naming the rank and the host', async () => {
    const results = tempDir()
    const config = configFile({launcher: {type: 'openmpi'}, engines: {dlio: {bin: DLIO_STANDIN, env: {DLIO_STANDIN_MODE: 'fail-rank-1'}}}})
    const result = await runCli(training(results, 3, ['--hosts', LAB_HOSTS.join(','), '--config', config]), {env: env()})
    const output = parseJson<RunJson>(result)
    assert.equal(result.exitCode, 1, result.stderr)
    assert.equal(output.status, 'FAILED')
    assert.match(output.record.statusReason ?? '', /mpirun exited with code 3 \(rank 1 on 127\.0\.0\.3 exited with code 3\)/)
  })

  it('the kv-cache.py stand-in through mpiexec.mpich across the three hosts, every rank reporting', async () => {
    const bench = tempDir('kvbench-')
    copyFileSync(KV_STANDIN, join(bench, 'kv-cache.py'))
    writeFileSync(join(bench, 'config.yaml'), '# stand-in\n')
    // an empty kv_cache package, for the kvcache-py.python check to import on every host
    mkdirSync(join(bench, 'kv_cache'))
    for (const file of ['__init__.py', 'cli.py']) writeFileSync(join(bench, 'kv_cache', file), '# stand-in\n')
    const result = await runCli(['kvcache', 'run', '--open', '--option', '2', '--trials', '1', '--npernode', '1', '--inter-option-delay', '0', '--hosts', LAB_HOSTS.join(','),
      '--kvcache-bin-path', join(bench, 'kv-cache.py'), '--results-dir', tempDir(), '--config', configFile({launcher: {type: 'mpich', envAllowList: ['MOCK_KV_SAMPLE']}}), '--json'], {env: env({MOCK_KV_SAMPLE: KV_SAMPLE})})
    const output = parseJson<RunJson>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.match(output.record.commands[0].argv[0], /mpiexec\.(mpich|hydra)$/)
    assert.deepEqual(readdirSync(join(output.leaf!, 'option_2', 'trial_0')).filter(name => name.startsWith('rank_') && !name.endsWith('.json')).sort(), ['rank_0', 'rank_1', 'rank_2'])
  })
})

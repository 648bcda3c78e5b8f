import assert from 'node:assert/strict'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {isolatedEnv, mlpsBin, repoRoot, tempDir} from '../helpers/cli.js'
import {useLaunchLab} from './use-lab.js'

const DLIO_STANDIN = join(repoRoot, 'fixtures', 'dlio', 'standin', 'dlio_benchmark')

interface RunJson {
  status: string
  leaf?: string
  record: {
    statusReason?: string; hosts: Array<{name: string; slots?: number}>
    findings: Array<{ruleId: string; severity: string; message: string}>
    commands: Array<{argv: string[]; env?: Record<string, string>}>
    extra: {native?: {hosts?: {transport: string; workers: Array<{slurmNode?: string}>}}}
  }
}

describe('a Slurm allocation as the host list (built CLI inside a real salloc of the lab\'s single-node Slurm)', function () {
  this.timeout(180_000)
  const lab = useLaunchLab()

  /** mlps run by `salloc <allocation> mlps <args>`, no --hosts given: salloc sets SLURM_JOB_NODELIST and SLURM_TASKS_PER_NODE */
  async function inAllocation(allocation: string[], args: string[], settings: Record<string, unknown>): Promise<{output: RunJson; stderr: string}> {
    const config = join(tempDir('mlps-slurm-alloc-'), 'mlps.config.json')
    writeFileSync(config, JSON.stringify({sampleIntervalSeconds: 0.5, preflight: {skip: ['mlps.fsSeparation']}, ...settings}))
    const result = await execa('salloc', [...allocation, process.execPath, mlpsBin, ...args, '--config', config, '--json'], {
      env: {...isolatedEnv(), ...lab().env()}, extendEnv: false, reject: false, stdin: 'ignore', timeout: 120_000, cwd: repoRoot,
    })
    assert.ok(!result.timedOut, `the run did not end within 120 s:\n${String(result.stderr)}`)
    try {
      return {output: JSON.parse(String(result.stdout)) as RunJson, stderr: String(result.stderr)}
    } catch {
      throw new Error(`stdout is not JSON (exit ${result.exitCode}):\n${String(result.stdout)}\n${String(result.stderr)}`)
    }
  }

  function assertFromAllocation(output: RunJson, tasks: number): void {
    assert.deepEqual(output.record.hosts, [{name: lab().node, slots: tasks}])
    const said = output.record.findings.find(f => f.ruleId === 'mlps.hosts.slurmAllocation')
    assert.equal(said?.severity, 'info', JSON.stringify(output.record.findings))
    assert.match(said?.message ?? '', new RegExp(`no hosts given: using the Slurm allocation's nodes ${lab().node}:${tasks} \\(SLURM_JOB_NODELIST=${lab().node}, SLURM_TASKS_PER_NODE=${tasks}\\)`))
  }

  let data: string
  const WORKLOAD = ['-m', 'unet3d', '--param', 'dataset.num_files_train=24', '--param', 'dataset.record_length_bytes=65536', '--param', 'dataset.record_length_bytes_stdev=0']
  const nativeTraining = (processes: number) => ['training', 'run', ...WORKLOAD, '-g', 'h100', '-n', String(processes), '--open', '--data-dir', data,
    '--param', 'train.epochs=1', '--param', 'train.computation_time=0.01', '--results-dir', tempDir(), '--engine', 'native']

  before(async function () {
    this.timeout(120_000)
    data = tempDir('mlps-slurm-alloc-data-')
    const result = await execa(process.execPath, [mlpsBin, 'training', 'datagen', ...WORKLOAD, '--data-dir', data, '-n', '2', '--engine', 'native', '--results-dir', tempDir(), '--json'],
      {env: isolatedEnv(), extendEnv: false, reject: false, stdin: 'ignore'})
    assert.equal(result.exitCode, 0, String(result.stderr))
  })

  it('native, through srun inside the allocation (engines.native.launch launcher): the host is the allocation\'s node with its tasks as slots, the worker a Slurm task there', async () => {
    const {output, stderr} = await inAllocation(['-n', '2'], nativeTraining(2), {engines: {native: {launch: 'launcher'}}})
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${stderr}`)
    assertFromAllocation(output, 2)
    assert.equal(output.record.extra.native?.hosts?.transport, 'slurm')
    assert.deepEqual(output.record.extra.native?.hosts?.workers.map(worker => worker.slurmNode), [lab().node])
    const ranks = [0, 1].map(rank => (JSON.parse(readFileSync(join(output.leaf!, `${rank}_output.json`), 'utf8')) as {hostname: string}).hostname)
    assert.deepEqual(ranks, [lab().node, lab().node])
  })

  it('native: more ranks than the allocation\'s tasks are not started: the allocation\'s slots bound the ranks as given slots do', async () => {
    const {output, stderr} = await inAllocation(['-n', '1'], nativeTraining(2), {engines: {native: {launch: 'launcher'}}})
    assert.notEqual(output.status, 'COMPLETED', stderr)
    assert.deepEqual(output.record.commands, [])
    assert.match(`${output.record.statusReason} ${JSON.stringify(output.record.findings)}`, /offer 1 slot but 2 processes are asked/)
  })

  it('DLIO (the stand-in) through srun: the same host list from the allocation, srun left to place the ranks in it', async () => {
    const results = tempDir()
    const train = join(results, 'data', 'unet3d', 'train')
    mkdirSync(train, {recursive: true})
    for (let i = 0; i < 8; i++) writeFileSync(join(train, `img_${i}_of_8.npz`), '')
    const args = ['training', 'run', '-m', 'unet3d', '-g', 'b200', '-n', '2', '--data-dir', join(results, 'data'), '--results-dir', results, '--param', 'dataset.num_files_train=8', '--engine', 'dlio']
    const {output, stderr} = await inAllocation(['-n', '2'], args, {engines: {dlio: {bin: DLIO_STANDIN}}, launcher: {type: 'srun'}})
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${stderr}`)
    assertFromAllocation(output, 2)
    assert.match(output.record.commands[0].argv[0], /srun$/)
    assert.deepEqual(output.record.commands[0].argv.slice(1, 3), ['--ntasks=2', '--export=ALL'])
  })
})

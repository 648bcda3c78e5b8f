import assert from 'node:assert/strict'
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {execa} from 'execa'
import {isolatedEnv, mlpsBin, parseJson, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {useLaunchLab} from './use-lab.js'

const DLIO_STANDIN = join(repoRoot, 'fixtures', 'dlio', 'standin', 'dlio_benchmark')
const WORKLOAD = ['-m', 'unet3d', '--param', 'dataset.num_files_train=24', '--param', 'dataset.record_length_bytes=65536', '--param', 'dataset.record_length_bytes_stdev=0']

interface RefusedJson {
  status: string
  exitCode: number
  refused?: boolean
  leaf?: string
  record: {
    statusReason?: string
    commands: unknown[]
    findings: Array<{ruleId: string; severity: string; message: string; fix?: string; notEvaluable?: boolean}>
    checks?: Array<{check: string; status: string}>
  }
}

/** Every file and folder of the results tree outside mlps's private `.mlps/`: what verify and reportgen count. */
function countedTree(resultsDir: string): string[] {
  return readdirSync(resultsDir, {recursive: true, encoding: 'utf8'}).map(path => relative(resultsDir, join(resultsDir, path))).filter(path => !path.startsWith('.mlps'))
}

/**
 * The run stopped before anything started because its ranks do not fit the slots: exit 3 when the allocation is too small (the
 * environment), 2 when the slots given are too few (the input); its record under .mlps/refused/, no leaf counted.
 */
function assertRefusedForSlots(output: RefusedJson, resultsDir: string, result: {exitCode: number; stderr: string}, expected: 2 | 3): RefusedJson['record']['findings'][number] {
  assert.equal(result.exitCode, expected, result.stderr)
  assert.equal(output.exitCode, expected)
  assert.equal(output.refused, true, result.stderr)
  assert.equal(output.status, 'FAILED')
  assert.deepEqual(output.record.commands, [], 'nothing was started')
  assert.ok(output.leaf?.startsWith(join(resultsDir, '.mlps', 'refused')), output.leaf)
  assert.deepEqual(countedTree(resultsDir), [])
  const finding = output.record.findings.find(f => f.ruleId === 'mlps.hosts.slots')
  assert.equal(finding?.severity, 'error', JSON.stringify(output.record.findings))
  return finding!
}

describe('more ranks than the hosts\' slots: the preflight check mlps.hosts.slots (built CLI, hosts given with slots, no Slurm)', function () {
  this.timeout(120_000)
  let data: string

  before(async () => {
    data = tempDir('mlps-slots-data-')
    const result = await runCli(['training', 'datagen', ...WORKLOAD, '--data-dir', data, '-n', '2', '--engine', 'native', '--results-dir', tempDir(), '--json'])
    assert.equal(result.exitCode, 0, result.stderr)
  })

  it('native training -n 3 on --hosts localhost:2: refused before starting, naming the ranks, the slots, --hosts and the fix', async () => {
    const results = tempDir()
    const result = await runCli(['training', 'run', ...WORKLOAD, '-g', 'h100', '-n', '3', '--hosts', 'localhost:2', '--open', '--data-dir', data,
      '--param', 'train.epochs=1', '--results-dir', results, '--engine', 'native', '--json'])
    const finding = assertRefusedForSlots(parseJson<RefusedJson>(result), results, result, 2)
    assert.equal(finding.message, 'the hosts offer 2 slots but 3 processes are asked (-n 3): localhost:2, from --hosts')
    assert.match(finding.fix ?? '', /at most 2 ranks \(-n 2\), give more slots \(e\.g\. localhost:3\) or more hosts in --hosts/)
  })

  it('a host file\'s slots bound the ranks too, and as many ranks as slots pass the check', async () => {
    const hostfile = join(tempDir(), 'hosts')
    writeFileSync(hostfile, 'localhost slots=1\n')
    const results = tempDir()
    const refused = await runCli(['training', 'run', ...WORKLOAD, '-g', 'h100', '-n', '2', '--hostfile', hostfile, '--open', '--data-dir', data,
      '--param', 'train.epochs=1', '--results-dir', results, '--engine', 'native', '--json'])
    const finding = assertRefusedForSlots(parseJson<RefusedJson>(refused), results, refused, 2)
    assert.equal(finding.message, `the hosts offer 1 slot but 2 processes are asked (-n 2): localhost:1, from --hostfile ${hostfile}`)
    const fits = await runCli(['training', 'run', ...WORKLOAD, '-g', 'h100', '-n', '2', '--hosts', 'localhost:2', '--open', '--data-dir', data,
      '--param', 'train.epochs=1', '--param', 'train.computation_time=0.01', '--results-dir', tempDir(), '--engine', 'native', '--json'])
    const output = parseJson<RefusedJson>(fits)
    assert.equal(fits.exitCode, 0, `${output.record.statusReason}\n${fits.stderr}`)
    assert.deepEqual(output.record.checks?.filter(check => check.check === 'mlps.hosts.slots').map(check => check.status), ['ok'])
  })

  it('mlps doctor lists it with the other run-only checks', async () => {
    const result = await runCli(['doctor', '--json'])
    const rows = parseJson<{checks: Array<{check: string; status: string; needsRun?: boolean; detail: string}>}>(result).checks
    const row = rows.find(r => r.check === 'mlps.hosts.slots')
    assert.deepEqual([row?.status, row?.needsRun], ['skip', true], JSON.stringify(rows.map(r => r.check)))
    assert.match(row!.detail, /needs a run: evaluated when a benchmark run starts/)
  })
})

describe('more ranks than the Slurm allocation\'s tasks (built CLI inside a real salloc of the lab\'s single-node Slurm)', function () {
  this.timeout(180_000)
  const lab = useLaunchLab()

  async function inAllocation(allocation: string[], args: string[], settings: Record<string, unknown>): Promise<{output: RefusedJson; exitCode: number; stderr: string}> {
    const config = join(tempDir('mlps-alloc-slots-'), 'mlps.config.json')
    writeFileSync(config, JSON.stringify({preflight: {skip: ['mlps.fsSeparation']}, ...settings}))
    const result = await execa('salloc', [...allocation, process.execPath, mlpsBin, ...args, '--config', config, '--json'], {
      env: {...isolatedEnv(), ...lab().env()}, extendEnv: false, reject: false, stdin: 'ignore', timeout: 120_000, cwd: repoRoot,
    })
    assert.ok(!result.timedOut, `the run did not end within 120 s:\n${String(result.stderr)}`)
    return {output: parseJson<RefusedJson>({exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}), exitCode: result.exitCode ?? -1, stderr: String(result.stderr)}
  }

  let data: string
  before(async function () {
    this.timeout(120_000)
    data = tempDir('mlps-alloc-slots-data-')
    const result = await runCli(['training', 'datagen', ...WORKLOAD, '--data-dir', data, '-n', '2', '--engine', 'native', '--results-dir', tempDir(), '--json'])
    assert.equal(result.exitCode, 0, result.stderr)
  })

  it('native, launched through srun: -n 2 in a one-task allocation is refused before any worker starts, naming the allocation and a bigger one as the fix', async () => {
    const results = tempDir()
    const {output, ...result} = await inAllocation(['-n', '1'], ['training', 'run', ...WORKLOAD, '-g', 'h100', '-n', '2', '--open', '--data-dir', data,
      '--param', 'train.epochs=1', '--param', 'train.computation_time=0.01', '--results-dir', results, '--engine', 'native'], {engines: {native: {launch: 'launcher'}}})
    const finding = assertRefusedForSlots(output, results, result, 3)
    assert.equal(finding.message, `the hosts offer 1 slot but 2 processes are asked (-n 2): ${lab().node}:1, from the Slurm allocation (SLURM_JOB_NODELIST=${lab().node}, SLURM_TASKS_PER_NODE=1)`)
    assert.match(finding.fix ?? '', /at most 1 rank \(-n 1\), or a bigger allocation \(e\.g\. salloc -N 1 --ntasks-per-node=2, or salloc -n 2\)/)
    // the rendezvous probe starts no worker for ranks that cannot be placed
    assert.ok(output.record.findings.some(f => f.ruleId === 'native.rendezvous' && f.notEvaluable && /mlps\.hosts\.slots/.test(f.message)), JSON.stringify(output.record.findings))
  })

  it('DLIO (the stand-in) through srun: the same check refuses it, beside dlio.launch, whose launch would place the ranks in the same slots', async () => {
    const results = tempDir()
    const dlioData = tempDir('mlps-alloc-slots-dlio-')
    const train = join(dlioData, 'unet3d', 'train')
    mkdirSync(train, {recursive: true})
    for (let i = 0; i < 8; i++) writeFileSync(join(train, `img_${i}_of_8.npz`), '')
    const args = ['training', 'run', '-m', 'unet3d', '-g', 'b200', '-n', '2', '--data-dir', dlioData, '--results-dir', results, '--param', 'dataset.num_files_train=8', '--engine', 'dlio']
    const {output, ...result} = await inAllocation(['-n', '1'], args, {engines: {dlio: {bin: DLIO_STANDIN}}, launcher: {type: 'srun'}})
    const finding = assertRefusedForSlots(output, results, result, 3).message
    assert.match(finding, /the hosts offer 1 slot but 2 processes are asked \(-n 2\): .*:1, from the Slurm allocation/)
    assert.ok(output.record.findings.some(f => f.ruleId === 'dlio.launch' && f.severity === 'error'), JSON.stringify(output.record.findings))
  })
})

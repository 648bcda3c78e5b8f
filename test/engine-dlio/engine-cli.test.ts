import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {processesOfRun} from '../../src/launch/process-scan.js'
import {parseJson, repoRoot, runCli, startCli, TEST_ORGANIZATION, tempDir} from '../helpers/cli.js'

const STANDIN = join(repoRoot, 'fixtures', 'dlio', 'standin', 'dlio_benchmark')

interface Output {
  status: string
  exitCode: number
  leaf?: string
  plan?: {engine: string; launcher: string; argv: string[]; env: Record<string, string>; leaf: string}
  record: {runId: string; statusReason?: string; metrics: Record<string, unknown>; findings: Array<{ruleId: string; severity: string; message: string; fix?: string; notEvaluable?: boolean}>; commands: Array<{argv: string[]; env: Record<string, string>; exitCode?: number | null}>}
}

function trainingRun(results: string, extra: string[] = []): string[] {
  return ['training', 'run', '-m', 'unet3d', '-g', 'b200', '-n', '2', '--data-dir', join(results, 'data'), '--results-dir', results,
    '--param', 'dataset.num_files_train=8', '--engine', 'dlio', ...extra]
}

/** The 8 training files DLIO would list before it starts (dlio.dataset checks them); the stand-in reads none of them. */
function standinDataset(results: string): void {
  const train = join(results, 'data', 'unet3d', 'train')
  mkdirSync(train, {recursive: true})
  for (let i = 0; i < 8; i++) writeFileSync(join(train, `img_${i}_of_8.npz`), '')
}

function configWith(dir: string, dlio: Record<string, unknown>): string {
  standinDataset(dir)
  const file = join(dir, 'mlps.config.json')
  // the stand-in's dataset sits beside the results, on one filesystem: a CLOSED run would stop there (test/results/fs-separation.test.ts)
  writeFileSync(file, JSON.stringify({engines: {dlio: {bin: STANDIN, ...dlio}}, launcher: {type: 'openmpi'}, preflight: {skip: ['mlps.fsSeparation']}}))
  return file
}

describe('mlps training --engine dlio (built CLI)', function () {
  this.timeout(120_000)

  it('without DLIO installed (this machine): exit 3 before anything starts, with the install command', async () => {
    const results = tempDir()
    const result = await runCli([...trainingRun(results), '--json'])
    assert.equal(result.exitCode, 3, result.stderr)
    const output = parseJson<Output>(result)
    assert.equal(output.status, 'FAILED')
    const finding = output.record.findings.find(f => f.ruleId === 'dlio.installed')
    assert.ok(finding, JSON.stringify(output.record.findings))
    assert.match(finding.fix ?? '', /pip install ["']dlio-benchmark @ git\+https:\/\/github\.com\/mlcommons\/DLIO_local_changes\.git@4be40e6b9077674513c0defd5283faf3cbae8445["']/)
    assert.equal(output.record.findings.filter(f => /dlio_benchmark was not found/.test(f.message)).length, 1, 'said once, not by two checks')
    assert.deepEqual(output.record.commands, [], 'nothing was launched')
    assert.deepEqual(readdirSync(output.leaf!), ['metadata.json'])
  })

  it('--dry-run --json prints the exact argv, the environment and the leaf, and creates nothing', async () => {
    const results = tempDir()
    const result = await runCli([...trainingRun(results), '--dry-run', '--json'])
    assert.equal(result.exitCode, 0, result.stderr)
    const {plan} = parseJson<Output>(result)
    assert.ok(plan)
    assert.equal(plan.engine, 'dlio')
    assert.equal(plan.launcher, 'openmpi')
    assert.match(plan.leaf, /\/training\/unet3d\/run\/\d{8}_\d{6}$/)
    assert.deepEqual(plan.argv.slice(1), [
      '-n', '2', '-host', 'localhost:2', '--bind-to', 'none', '--map-by', 'socket', '--allow-run-as-root', '-x', 'MLPS_RUN_ID',
      'dlio_benchmark', 'workload=unet3d_b200', `++hydra.run.dir=${plan.leaf}`, '++hydra.output_subdir=dlio_config',
      '++workload.dataset.num_files_train=8', `++workload.dataset.data_folder=${join(results, 'data', 'unet3d')}`, `--config-dir=${plan.leaf}/dlio_workload_config`,
    ])
    assert.deepEqual(Object.keys(plan.env), ['MLPS_RUN_ID'])
    assert.ok(!existsSync(plan.leaf), 'a dry run writes no leaf')
  })

  it('--hostfile: slots from an OpenMPI host file reach mpirun; too few slots stop the run before anything starts (exit 2)', async () => {
    const results = tempDir()
    const hostfile = join(results, 'hosts')
    writeFileSync(hostfile, '# one client\nlocalhost slots=2 max_slots=4\n')
    const planned = await runCli([...trainingRun(results), '--hostfile', hostfile, '--dry-run', '--json'])
    assert.equal(planned.exitCode, 0, planned.stderr)
    assert.deepEqual(parseJson<Output>(planned).plan!.argv.slice(1, 5), ['-n', '2', '-host', 'localhost:2'])
    writeFileSync(hostfile, 'localhost slots=1\n')
    const refused = await runCli([...trainingRun(results), '--hostfile', hostfile, '--config', configWith(results, {}), '--json'])
    assert.equal(refused.exitCode, 2, refused.stderr)
    const output = parseJson<Output>(refused)
    assert.deepEqual(output.record.commands, [])
    assert.ok(output.record.findings.some(f => f.ruleId === 'dlio.launch' && /--hostfile: the hosts offer 1 slot but 2 processes are asked/.test(f.message)), JSON.stringify(output.record.findings))
  })

  it('with a stand-in dlio_benchmark (DLIO cannot be installed here): runs 2 ranks, logs, checks and parses the outputs', async () => {
    const results = tempDir()
    const config = configWith(results, {env: {DLIO_LOG_LEVEL: 'info', MY_API_TOKEN: 'hunter2'}})
    const result = await runCli([...trainingRun(results), '--config', config, '--json'])
    const output = parseJson<Output>(result)
    assert.equal(output.status, 'COMPLETED', `${output.record.statusReason}\n${result.stderr}`)
    assert.ok([0, 4].includes(result.exitCode), `exit ${result.exitCode}: a completed run exits 0, or 4 when a rules plugin judges it INVALID`)
    const leaf = output.leaf!
    // the real published summary the stand-in copies (engines.md §2.7 works these figures)
    assert.equal(output.record.metrics.train_au_mean_percentage, 96.24700229084856)
    assert.equal(output.record.metrics.train_io_mean_MB_per_second, 5770.200608702833)
    for (const file of ['training_run.stdout.log', 'training_run.stderr.log', 'dlio_workload_config/workload/unet3d_b200.yaml', 'dlio_workload_config/config.yaml',
      'dlio_config/overrides.yaml', '0_per_epoch_stats.json', '1_output.json', 'summary.json', 'dlio.log']) {
      assert.ok(existsSync(join(leaf, file)), file)
    }
    assert.match(readFileSync(join(leaf, 'training_run.stdout.log'), 'utf8'), /Starting epoch 1: 4 steps expected/)
    const [command] = output.record.commands
    assert.equal(command.exitCode, 0)
    assert.equal(command.argv.at(-6), 'workload=unet3d_b200')
    assert.equal(command.argv[command.argv.indexOf('-x') + 1], 'DLIO_LOG_LEVEL')
    assert.deepEqual(command.env, {DLIO_LOG_LEVEL: 'info', MY_API_TOKEN: '***', MLPS_RUN_ID: output.record.runId})
    assert.ok(!readFileSync(join(leaf, 'metadata.json'), 'utf8').includes('hunter2'), 'no secret in the record')
    assert.ok(output.record.findings.some(f => f.ruleId === 'dlio.python' && f.severity !== 'error'), JSON.stringify(output.record.findings.map(f => [f.ruleId, f.severity, f.message])))
    assert.ok(!output.record.findings.some(f => f.ruleId === 'dlio.overrides'), 'DLIO recorded the overrides mlps passed')
    assert.ok(existsSync(join(results, 'data', 'unet3d', 'train')), 'the data folder layout DLIO expects')
    RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')))
  })

  it('with a stand-in dlio_benchmark: one rank exiting 3 makes the run FAILED (exit 1)', async () => {
    const results = tempDir()
    const result = await runCli([...trainingRun(results), '--config', configWith(results, {env: {DLIO_STANDIN_MODE: 'fail-rank-1'}}), '--json'])
    const output = parseJson<Output>(result)
    assert.equal(result.exitCode, 1, result.stderr)
    assert.equal(output.status, 'FAILED')
    // DLIO's own error first (issue 14), then the launcher's exit and what is missing
    assert.match(output.record.statusReason ?? '', /^DLIO: Expected 8 training files but 0 found; mpirun exited with code 3; missing DLIO outputs: /)
    assert.equal(output.record.commands[0].exitCode, 3)
  })

  it('with a stand-in dlio_benchmark: exit 0 without summary.json is FAILED, naming what is missing', async () => {
    const results = tempDir()
    const result = await runCli([...trainingRun(results), '--config', configWith(results, {env: {DLIO_STANDIN_MODE: 'no-summary'}}), '--json'])
    const output = parseJson<Output>(result)
    assert.equal(result.exitCode, 1, result.stderr)
    assert.equal(output.record.statusReason, 'missing DLIO outputs: summary.json')
    assert.equal(output.record.commands[0].exitCode, 0)
  })

  it('with a stand-in dlio_benchmark: SIGINT stops mpirun and both ranks, records INTERRUPTED, exit 130', async () => {
    const results = tempDir()
    const child = startCli([...trainingRun(results), '--config', configWith(results, {env: {DLIO_STANDIN_MODE: 'hang'}}), '--json'])
    let runId: string | undefined
    const started = Date.now()
    while (Date.now() - started < 60_000) {
      const leafParent = join(results, 'closed', TEST_ORGANIZATION)
      const record = existsSync(leafParent) ? findRecord(results) : undefined
      if (record) runId = (JSON.parse(readFileSync(record, 'utf8')) as {runId: string}).runId
      // mpirun and the two hanging ranks
      if (runId && processesOfRun(runId).length >= 3) break
      await delay(100)
    }
    assert.ok(runId && processesOfRun(runId).length >= 3, 'the ranks started')
    child.kill('SIGINT')
    const result = await child
    assert.equal(result.exitCode, 130, String(result.stderr))
    const output = JSON.parse(String(result.stdout)) as Output
    assert.equal(output.status, 'INTERRUPTED')
    assert.deepEqual(processesOfRun(runId!), [])
  })
})

function findRecord(dir: string): string | undefined {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const found = findRecord(path)
      if (found) return found
    } else if (entry.name === 'metadata.json') {
      return path
    }
  }
  return undefined
}

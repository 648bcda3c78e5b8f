import assert from 'node:assert/strict'
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {parseTolerantJson} from '../../src/util/tolerant-json.js'
import {type CliResult, isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'
import {requireEngines} from './engines.js'

interface Finding {ruleId: string; severity: string; message: string; fix?: string}
interface RunOutput {
  status: string
  exitCode: number
  leaf?: string
  record: {status: string; statusReason?: string; metrics: Record<string, unknown>; findings: Finding[]; commands: Array<{argv: string[]; exitCode?: number | null}>; engine: {name: string; version?: string}}
}
interface ReportRow {path: string; runs: number; accelerators: number; runFigures: Array<{path: string; counted: boolean; figures: Record<string, number | undefined>}>}

// small unet3d files (64 KiB, not 140 MB) so the dataset costs nothing; 56 files = 4 steps per epoch for
// 2 ranks of batch 7: DLIO leaves out the first step, so throughput has steps to measure
const FILES = 56
const SHRINK = ['dataset.record_length_bytes=65536', 'dataset.record_length_bytes_stdev=0', 'dataset.record_length_bytes_resize=65536'].flatMap(p => ['--param', p])
const DATASET = ['--param', `dataset.num_files_train=${FILES}`, ...SHRINK]

function config(dir: string, name: string, body: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`)
  // dataset and results share this machine's one filesystem: a CLOSED run would stop there (test/results/fs-separation.test.ts)
  writeFileSync(file, JSON.stringify({launcher: {type: 'openmpi'}, preflight: {skip: ['mlps.fsSeparation']}, ...body}))
  return file
}

const json = (file: string) => parseTolerantJson(readFileSync(file, 'utf8')) as Record<string, any>

describe('real DLIO v3.0: unet3d datagen and training under mpirun -n 2 (built CLI)', function () {
  this.timeout(600_000)
  let dir: string
  let datagen: {result: CliResult; output: RunOutput}
  let run: {result: CliResult; output: RunOutput}
  let refused: RunOutput
  let failed: RunOutput

  before(async function () {
    const {dlioBin} = requireEngines(this)
    dir = tempDir('mlps-real-dlio-')
    const results = join(dir, 'results')
    const env = {...isolatedEnv(), MLPS_PROGRESS_INTERVAL: '0'}
    const infoLevel = config(dir, 'info', {engines: {dlio: {bin: dlioBin, env: {DLIO_LOG_LEVEL: 'info', DLIO_DATA_GEN: 'numpy'}}}})
    const plain = config(dir, 'plain', {engines: {dlio: {bin: dlioBin}}})
    const launch = async (args: string[]) => {
      const result = await runCli([...args, '--results-dir', results, '--engine', 'dlio', '--json'], {env})
      return {result, output: parseJson<RunOutput>(result)}
    }
    // without --json, which turns progress off: the status lines are what a user reads
    const generated = await runCli(['training', 'datagen', '-m', 'unet3d', '-n', '2', '--data-dir', join(dir, 'data'), ...DATASET, '--config', infoLevel,
      '--results-dir', results, '--engine', 'dlio'], {env})
    const leaf = /run leaf: (\S+)/.exec(`${generated.stdout}\n${generated.stderr}`)?.[1]
    assert.ok(leaf, generated.stderr.slice(-3000))
    datagen = {result: generated, output: {status: generated.exitCode === 0 ? 'COMPLETED' : 'FAILED', exitCode: generated.exitCode, leaf, record: json(join(leaf, 'metadata.json')) as RunOutput['record']}}
    run = await launch(['training', 'run', '-m', 'unet3d', '-g', 'h100', '-n', '2', '--data-dir', join(dir, 'data'), ...DATASET, '--param', 'train.epochs=2', '--config', plain])
    const empty = ['training', 'run', '-m', 'unet3d', '-g', 'h100', '-n', '2', '--data-dir', join(dir, 'empty'), ...DATASET]
    refused = parseJson<RunOutput>(await runCli([...empty, '--results-dir', join(dir, 'refused'), '--engine', 'dlio', '--config', plain, '--json'], {env}))
    // the same run with the dataset check turned off, so the real DLIO meets the empty folder itself
    const unchecked = config(dir, 'unchecked', {engines: {dlio: {bin: dlioBin}}, preflight: {skip: ['dlio.dataset', 'mlps.fsSeparation']}})
    failed = parseJson<RunOutput>(await runCli([...empty, '--results-dir', join(dir, 'failed'), '--engine', 'dlio', '--config', unchecked, '--json'], {env}))
  })

  it('datagen: writes the files, and its progress follows DLIO\'s real bar line to 100 % when DLIO exits 0', () => {
    assert.equal(datagen.output.status, 'COMPLETED', `${datagen.output.record.statusReason}\n${datagen.result.stderr.slice(-3000)}`)
    assert.equal(datagen.output.record.engine.version, '3.0.0')
    const files = readdirSync(join(dir, 'data', 'unet3d', 'train')).filter(name => name.endsWith('.npz'))
    assert.equal(files.length, FILES)
    // DLIO prints the bar for rank 0's files only (its last one is short of the total); the last status line says 100 %
    const status = datagen.result.stderr.split('\n').filter(line => /\d+\/56\b/.test(line))
    assert.ok(status.length > 1, datagen.result.stderr.slice(-2000))
    assert.match(status.at(-1)!, /100\.0%\s+56\/56/)
    assert.ok(!existsSync(join(datagen.output.leaf!, 'summary.json')), 'a datagen leaf has no summary')
  })

  it('run: every figure recorded equals DLIO\'s own summary.json (AU, throughput, I/O), per epoch and overall', () => {
    assert.equal(run.output.status, 'COMPLETED', `${run.output.record.statusReason}\n${run.result.stderr.slice(-3000)}`)
    const summary = json(join(run.output.leaf!, 'summary.json'))
    const recorded = run.output.record.metrics
    const engineKeys = Object.keys(summary.metric)
    assert.ok(engineKeys.length >= 10, engineKeys.join(', '))
    for (const key of engineKeys) assert.deepEqual(recorded[key], summary.metric[key], key)
    assert.ok((recorded.train_throughput_mean_samples_per_second as number) > 0, 'steps were measured')
    assert.equal((recorded.train_au_percentage as number[]).length, 2, 'one AU per epoch')
    assert.equal(summary.num_accelerators, 2)
    // each rank wrote its own stats and output, as DLIO does
    for (const rank of [0, 1]) {
      assert.deepEqual(Object.keys(json(join(run.output.leaf!, `${rank}_per_epoch_stats.json`))), ['1', '2'])
      assert.ok(existsSync(join(run.output.leaf!, `${rank}_output.json`)))
    }
  })

  it('run: the leaf holds DLIO\'s outputs and mlps\'s, and no empty checkpoints/unet3d/ (DLIO makes it in its working folder)', () => {
    const entries = readdirSync(run.output.leaf!).sort()
    assert.ok(!entries.includes('checkpoints'), entries.join(', '))
    for (const name of ['0_output.json', '0_per_epoch_stats.json', '1_output.json', '1_per_epoch_stats.json', 'dlio.log', 'dlio_config', 'dlio_workload_config',
      'metadata.json', 'summary.json', 'training_run.stderr.log', 'training_run.stdout.log']) assert.ok(entries.includes(name), `${name} in ${entries.join(', ')}`)
  })

  it('a run over an empty data dir stops before DLIO starts, saying what is missing and how to generate it (exit 3)', () => {
    assert.equal(refused.exitCode, 3)
    assert.deepEqual(refused.record.commands, [], 'DLIO never started')
    const finding = refused.record.findings.find(f => f.ruleId === 'dlio.dataset')
    assert.match(finding?.message ?? '', /empty\/unet3d\/train (does not exist|holds 0 \.npz files)/)
    assert.match(finding?.fix ?? '', /mlps training datagen --model unet3d --data-dir .*empty\/unet3d --param dataset\.num_files_train=56/)
  })

  it('a run DLIO itself fails gives DLIO\'s own error first in the reason (hydra prints it to stderr only)', () => {
    assert.equal(failed.exitCode, 1)
    assert.equal(failed.record.status, 'FAILED')
    assert.match(failed.record.statusReason ?? '', /^DLIO: Exception: Not enough training dataset is found; Please run the code with \+\+workload\.workflow\.generate_data=True; mpirun exited with code 1/)
    assert.ok(!readFileSync(join(failed.leaf!, 'dlio.log'), 'utf8').includes('Not enough training dataset'), 'the reason does not come from dlio.log')
  })

  it('verify and reportgen read the run leaf: reportgen\'s figures are DLIO\'s summary figures', async () => {
    const verify = await runCli(['verify', run.output.leaf!, '--json'])
    assert.ok([0, 4].includes(verify.exitCode), verify.stderr)
    const verdict = parseJson<{groups: Array<{benchmark: string; model: string; findings: Finding[]}>}>(verify)
    assert.deepEqual(verdict.groups.map(group => [group.benchmark, group.model]), [['training', 'unet3d']])
    assert.ok(!verdict.groups[0].findings.some(f => f.ruleId === 'mlps.run.completed'), 'the run completed')

    const report = join(dir, 'report')
    const reportgen = await runCli(['reports', 'reportgen', '--results-dir', join(dir, 'results'), '--output-dir', report, '--json'])
    assert.ok([0, 4].includes(reportgen.exitCode), reportgen.stderr)
    const rows = (JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as {rows: ReportRow[]}).rows
    const row = rows.find(r => r.path.endsWith('training/unet3d'))!
    const figures = row.runFigures.find(f => join(dir, 'results', f.path) === run.output.leaf)!
    const summary = json(join(run.output.leaf!, 'summary.json')).metric
    assert.equal(figures.figures['AU %'], summary.train_au_mean_percentage)
    assert.equal(figures.figures['samples/s'], summary.train_throughput_mean_samples_per_second)
    assert.equal(figures.figures['MiB/s'], summary.train_io_mean_MB_per_second)
  })

  it('reportgen aggregates only the runs that count: a FAILED leaf beside a completed one is not in the row', async () => {
    const tree = join(dir, 'mixed')
    for (const leaf of [run.output.leaf!, failed.leaf!]) {
      const root = leaf === run.output.leaf ? join(dir, 'results') : join(dir, 'failed')
      const target = join(tree, relative(root, leaf))
      mkdirSync(dirname(target), {recursive: true})
      cpSync(leaf, target, {recursive: true})
    }
    const report = join(dir, 'mixed-report')
    // edition 1.0 counts every completed run (3.0 would also set the first aside as the warm-up): what is left out here is the FAILED leaf alone
    await runCli(['reports', 'reportgen', '--results-dir', tree, '--output-dir', report, '--edition', '1.0', '--json'])
    const row = (JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as {rows: ReportRow[]}).rows.find(r => r.path.endsWith('training/unet3d'))!
    assert.equal(row.runs, 1)
    assert.equal(row.accelerators, 2)
    assert.ok(!row.runFigures.some(f => f.counted && join(tree, f.path).endsWith(relative(join(dir, 'failed'), failed.leaf!))))
  })
})

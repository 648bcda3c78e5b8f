import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {parseJson, runCli, startCli, TEST_ORGANIZATION, TEST_SYSTEM_NAME, tempDir} from '../helpers/cli.js'

const SMALL = ['--param', 'dataset.num_files_train=42', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=65536']

interface RunOutput {status: string; category: string; exitCode: number; leaf: string; record: {metrics: Record<string, unknown>; findings: Array<{ruleId: string; severity: string}>}}

function readRecord(leaf: string) {
  return RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')))
}

describe('mlps training (built CLI, native engine)', function () {
  it('datasize --json gives the formula\'s numbers and the datagen argv, and records a datasize leaf', async () => {
    const results = tempDir()
    const result = await runCli(['training', 'datasize', '--model', 'unet3d', '--accelerator-type', 'b200', '--max-accelerators', '8',
      '--client-host-memory-in-gb', '512', '--results-dir', results, '--data-dir', '/mnt/sut', '--json'])
    assert.equal(result.exitCode, 0, result.stderr)
    const size = parseJson<{model: string; accelerator: string; numFilesTrain: number; numSubfoldersTrain: number; totalDiskBytes: number; dominatedBy: string; datagen: {argv: string[]}; leaf: string}>(result)
    // 500 steps × 8 accelerators × batch 7 / 1 sample per file = 28,000 files, above 5 × 512 GiB / 146,600,628 B → 18,751
    assert.equal(size.numFilesTrain, 28_000)
    assert.equal(size.dominatedBy, 'steps')
    assert.equal(size.totalDiskBytes, 28_000 * 146_600_628)
    assert.equal(Math.round(size.totalDiskBytes / 2 ** 30), 3823)
    assert.equal(size.numSubfoldersTrain, 3)
    assert.deepEqual(size.datagen.argv, ['mlps', 'training', 'datagen', '--model', 'unet3d', '--num-accelerators', '8',
      '--param', 'dataset.num_files_train=28000', '--param', 'dataset.num_subfolders_train=3', '--data-dir', '/mnt/sut', '--results-dir', results])
    assert.ok(size.leaf.includes(join('training', 'unet3d', 'datasize')))
    const record = readRecord(size.leaf)
    assert.equal((record.parameters.effective as {dataset: {num_files_train: number}}).dataset.num_files_train, 28_000)
  })

  it('datasize sums memory over hosts', async () => {
    const result = await runCli(['training', 'datasize', '-m', 'unet3d', '-g', 'b200', '--max-accelerators', '1',
      '--client-host-memory-in-gb', '512', '--num-client-hosts', '4', '--results-dir', tempDir(), '--json'])
    const size = parseJson<{numFilesTrain: number; totalMemoryBytes: number; dominatedBy: string}>(result)
    assert.equal(size.totalMemoryBytes, 4 * 512 * 2 ** 30)
    assert.equal(size.dominatedBy, 'memory')
    assert.equal(size.numFilesTrain, Math.ceil(5 * 4 * 512 * 2 ** 30 / 146_600_628))
  })

  it('unsupported model/accelerator pairs exit 2 and list the supported ones', async () => {
    const result = await runCli(['training', 'configview', '--model', 'resnet50', '--accelerator-type', 'b200'])
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /--accelerator-type: .*resnet50 has no b200 config/)
    assert.match(result.stderr, /unet3d: .*b200/)
  })

  it('runs datagen then a training run end to end, with DLIO-shaped outputs and an honest record', async () => {
    const dir = tempDir()
    const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...SMALL]
    const datagen = await runCli(['training', 'datagen', ...common, '--num-accelerators', '2', '--json'])
    assert.equal(datagen.exitCode, 0, datagen.stdout + datagen.stderr)
    assert.equal(readdirSync(join(dir, 'data', 'unet3d', 'train')).filter(name => name.endsWith('.npz')).length, 42)

    const run = await runCli(['training', 'run', ...common, '-g', 'h100', '--num-accelerators', '2', '--param', 'train.epochs=2', '--param', 'train.computation_time=0.02', '--json'])
    assert.equal(run.exitCode, 0, run.stdout + run.stderr)
    const output = parseJson<RunOutput>(run)
    assert.equal(output.status, 'COMPLETED')
    assert.notEqual(output.category, 'CLOSED')
    const summary = JSON.parse(readFileSync(join(output.leaf, 'summary.json'), 'utf8')) as {metric: Record<string, number | number[]>; epochs: number; num_accelerators: number}
    assert.equal(summary.epochs, 2)
    assert.equal(summary.num_accelerators, 2)
    const throughput = summary.metric.train_throughput_mean_samples_per_second as number
    assert.ok(throughput > 0)
    assert.ok(Math.abs(summary.metric.train_io_mean_MB_per_second as number - throughput * 262144 / 2 ** 20) < 1e-9)
    for (const file of ['dlio.log', '0_per_epoch_stats.json', '1_per_epoch_stats.json', '0_output.json', '1_output.json']) {
      assert.ok(existsSync(join(output.leaf, file)), file)
    }
    const record = readRecord(output.leaf)
    assert.equal(record.engine?.name, 'native')
    assert.equal(record.engine?.closedEligible, false)
    assert.equal(record.metrics.train_au_mean_percentage, summary.metric.train_au_mean_percentage)
    assert.deepEqual(record.parameters.userOverrides, {'dataset.num_files_train': 42, 'dataset.record_length_bytes': 262144, 'dataset.record_length_bytes_stdev': 65536, 'train.epochs': 2, 'train.computation_time': 0.02})
    assert.equal(record.parameters.toolInjected['dataset.data_folder'], join(dir, 'data', 'unet3d'))
    assert.ok(record.findings.some(f => f.ruleId === 'native.potentialCaching'))
  })

  it('a run with --drop-caches is not warned of page-cache reads, nor told to pass --drop-caches', async function () {
    if (process.getuid?.() !== 0) this.skip() // dropping the page cache needs root; the check refuses --drop-caches otherwise
    const dir = tempDir()
    const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...SMALL]
    const datagen = await runCli(['training', 'datagen', ...common, '--num-accelerators', '1', '--json'])
    assert.equal(datagen.exitCode, 0, datagen.stdout + datagen.stderr)
    const run = await runCli(['training', 'run', ...common, '-g', 'h100', '--num-accelerators', '1', '--param', 'train.epochs=1', '--param', 'train.computation_time=0.01', '--drop-caches', '--json'])
    assert.equal(run.exitCode, 0, run.stdout + run.stderr)
    const record = readRecord(parseJson<RunOutput>(run).leaf)
    assert.deepEqual(record.findings.filter(f => f.ruleId === 'native.potentialCaching'), [])
    assert.doesNotMatch(run.stdout + run.stderr, /pass --drop-caches/)
  })

  it('--dry-run prints the plan and runs nothing', async () => {
    const dir = tempDir()
    const result = await runCli(['training', 'run', '-m', 'unet3d', '-g', 'b200', '-n', '8', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'r'), '--dry-run', '--json'])
    const output = parseJson<{plan: {engine: string; details: {stepsPerEpoch: number}}}>(result)
    assert.equal(output.plan.engine, 'native')
    assert.equal(output.plan.details.stepsPerEpoch, Math.floor(7200 / 7 / 8))
    assert.equal(existsSync(join(dir, 'r')), false)
  })

  it('run options that fail the benchmark\'s schema exit 2 before preflight, naming the option and its flag', async () => {
    const dir = tempDir()
    const result = await runCli(['training', 'run', '-m', 'unet3d', '-g', 'b200', '-n', '1', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'r'),
      '--param', 'dataset.format=zip', '--param', 'reader.batch_size=0', '--json'])
    assert.equal(result.exitCode, 2, result.stderr)
    const {error} = parseJson<{error: {message: string; where: string; fix: string}}>(result)
    assert.equal(error.where, '--param dataset.format')
    assert.match(error.message, /--param dataset\.format \(option workload\.dataset\.format\): Invalid option: expected one of "npz"/)
    assert.match(error.message, /--param reader\.batch_size \(option workload\.reader\.batch_size\): Too small/)
    assert.match(error.fix, /correct --param dataset\.format, --param reader\.batch_size/)
    assert.equal(existsSync(join(dir, 'r')), false, 'nothing started: no leaf')
  })

  it('a missing dataset exits 2 before anything starts, with a FAILED record naming the fix', async () => {
    const dir = tempDir()
    const result = await runCli(['training', 'run', '-m', 'unet3d', '-g', 'h100', '-n', '1', '--data-dir', join(dir, 'nothing'), '--results-dir', join(dir, 'r'), ...SMALL, '--json'])
    assert.equal(result.exitCode, 2)
    const output = parseJson<RunOutput>(result)
    assert.equal(output.status, 'FAILED')
    const record = readRecord(output.leaf)
    assert.match(record.statusReason!, /no dataset at/)
    assert.ok(record.findings.some(f => f.ruleId === 'native.preflight.datasetPresent' && /mlps training datagen/.test(f.fix ?? '')))
    assert.equal(existsSync(join(output.leaf, 'summary.json')), false)
  })

  it('a data dir that cannot be written exits 3 and a non-numeric --param exits 2', async () => {
    const dir = tempDir()
    const bad = await runCli(['training', 'run', '-m', 'unet3d', '-g', 'h100', '-n', '1', '--data-dir', dir, '--param', 'reader.batch_size=seven'])
    assert.equal(bad.exitCode, 2)
    assert.match(bad.stderr, /--param "reader\.batch_size=seven"/)
    // root may write anywhere, so block the folder with a file in its way
    writeFileSync(join(dir, 'blocker'), 'not a folder')
    const blocked = await runCli(['training', 'datagen', '-m', 'unet3d', '--data-dir', join(dir, 'blocker', 'data'), '--results-dir', join(dir, 'r'), ...SMALL])
    assert.equal(blocked.exitCode, 3)
    assert.match(blocked.stderr, /cannot write the data folder .*blocker is a file, not a folder/)
  })

  describe('on a small tmpfs (needs root to mount)', () => {
    let mountPoint: string
    before(function () {
      mountPoint = tempDir('mlps-full-')
      try {
        // 8 MiB + 8 KiB: room for the nominal 8 × 1 MiB the preflight plans for, not for the npz headers on top
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8200k', 'tmpfs', mountPoint], {stdio: 'ignore'})
      } catch {
        this.skip()
      }
    })
    after(() => {
      try {
        execFileSync('umount', [mountPoint], {stdio: 'ignore'})
      } catch {
        // never mounted
      }
    })

    const tiny = ['--param', 'dataset.record_length_bytes=1048576', '--param', 'dataset.record_length_bytes_stdev=0']

    it('a dataset larger than the free space is refused before anything is written (exit 3)', async () => {
      const result = await runCli(['training', 'datagen', '-m', 'unet3d', '--data-dir', join(mountPoint, 'big'), '--results-dir', tempDir(), '--param', 'dataset.num_files_train=64', ...tiny])
      assert.equal(result.exitCode, 3)
      assert.match(result.stderr, /\[mlps\.freeSpace\] .*the dataset \(64 files\) needs about 64\.0 MiB in .*; .* has 8\.0\d? MiB free/)
      assert.equal(existsSync(join(mountPoint, 'big', 'unet3d', 'train')), false)
    })

    it('a disk that fills up mid-way fails the run with a clear message and no partial files', async () => {
      const result = await runCli(['training', 'datagen', '-m', 'unet3d', '--data-dir', join(mountPoint, 'fits'), '--results-dir', tempDir(), '-n', '2', '--param', 'dataset.num_files_train=8', ...tiny, '--json'])
      assert.equal(result.exitCode, 1)
      const output = parseJson<RunOutput>(result)
      const record = readRecord(output.leaf)
      assert.equal(record.status, 'FAILED')
      assert.match(record.statusReason!, /ran out of space after \d of 8 files[\s\S]*fix: free space .* complete files are kept/)
      const names = readdirSync(join(mountPoint, 'fits', 'unet3d', 'train'))
      assert.ok(names.every(name => !name.endsWith('.partial')), names.join(', '))
    })
  })

  it('SIGINT stops every worker within a second and records INTERRUPTED', async () => {
    const dir = tempDir()
    const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...SMALL]
    assert.equal((await runCli(['training', 'datagen', ...common, '-n', '2'])).exitCode, 0)
    const child = startCli(['training', 'run', ...common, '-g', 'h100', '-n', '2', '--param', 'train.epochs=50', '--param', 'train.computation_time=0.5', '--json'])
    // the run folder appears in setup, after the signal handlers are in place
    const runDir = join(dir, 'results', 'closed', TEST_ORGANIZATION, 'results', TEST_SYSTEM_NAME, 'training', 'unet3d', 'run')
    for (let i = 0; i < 300 && !existsSync(runDir); i++) await delay(100)
    await delay(1000)
    const sent = performance.now()
    child.kill('SIGINT')
    const finished = await child
    const seconds = (performance.now() - sent) / 1000
    assert.equal(finished.exitCode, 130)
    const output = JSON.parse(String(finished.stdout)) as RunOutput
    assert.equal(output.status, 'INTERRUPTED')
    assert.equal(readRecord(output.leaf).status, 'INTERRUPTED')
    assert.ok(seconds < 3, `stopped in ${seconds.toFixed(2)} s (a second for the workers, plus writing the record and Node's exit)`)
  })
})

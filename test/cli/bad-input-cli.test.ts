import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {isolatedEnv, repoRoot, runCli, tempDir} from '../helpers/cli.js'

/**
 * The bad-input cases of issue 22 ("Input and exit codes", "Limits and
 * hangs") and issue 17 item 4, each run through the built CLI with --json:
 * the documented exit code, the one error shape naming where the problem is,
 * and nothing started.
 */
interface BadInput {
  name: string
  args: (dir: string) => string[]
  exitCode: number
  /** the flag, key or path the error names */
  where?: RegExp
  message: RegExp
  /** a config file written into the working folder first */
  config?: string
  env?: Record<string, string>
}

const TRAIN = (dir: string) => ['training', 'run', '-m', 'unet3d', '-g', 'h100', '-n', '1', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results')]
const CHECKPOINT = (dir: string) => ['checkpointing', 'run', '-m', 'llama3-8b', '-n', '8', '--checkpoint-folder', join(dir, 'ck'), '--results-dir', join(dir, 'results')]
const DATASIZE = () => ['training', 'datasize', '-m', 'unet3d', '-g', 'h100', '--max-accelerators', '1', '--client-host-memory-in-gb', '1']

const CASES: BadInput[] = [
  // limits: each count is refused at parse time, naming the flag and the limit
  {name: 'checkpointing datasize -n 99999999999', args: () => ['checkpointing', 'datasize', '-m', 'llama3-8b', '-n', '99999999999'], exitCode: 2, where: /^--num-processes$/, message: /less than or equal to 100000/},
  {name: 'kvcache run --num-users 100000000', args: dir => ['kvcache', 'run', '--num-users', '100000000', '--results-dir', dir, '--dry-run'], exitCode: 2, where: /^--num-users$/, message: /less than or equal to 1000000/},
  {name: 'vectordb datagen --dimension 100000000', args: dir => ['vectordb', 'datagen', '--dimension', '100000000', '--results-dir', dir], exitCode: 2, where: /^--dimension$/, message: /less than or equal to 32768/},
  {name: 'training run -n 99999999999', args: dir => [...TRAIN(dir).slice(0, 6), '-n', '99999999999', '--dry-run'], exitCode: 2, where: /^--num-accelerators$/, message: /100000/},
  {name: '--hosts n[1-99999999] on a dry run', args: dir => [...TRAIN(dir), '--hosts', 'n[1-99999999]', '--dry-run'], exitCode: 2, where: /^--hosts$/, message: /more than 10000 hosts/},
  {name: '--hosts with more slots than a host has', args: dir => [...TRAIN(dir), '--hosts', 'n1:99999999999', '--dry-run'], exitCode: 2, where: /^--hosts$/, message: /the limit is 4096/},
  // values that cannot be right, refused before anything starts
  {name: 'dataset.num_files_train=0', args: dir => [...TRAIN(dir), '--param', 'dataset.num_files_train=0', '--dry-run'], exitCode: 2, where: /--param/, message: /must be greater than 0/},
  {name: 'record_length_bytes=-1', args: dir => [...TRAIN(dir), '--param', 'dataset.record_length_bytes=-1', '--dry-run'], exitCode: 2, where: /--param/, message: /record_length_bytes/},
  {name: 'dataset.format=zzz', args: dir => [...TRAIN(dir), '--param', 'dataset.format=zzz', '--dry-run'], exitCode: 2, where: /--param/, message: /expected one of/},
  {name: 'time_between_checkpoints=-5', args: dir => [...CHECKPOINT(dir), '--param', 'checkpoint.time_between_checkpoints=-5', '--dry-run'], exitCode: 2, where: /--param/, message: /duration in seconds/},
  {name: 'time_between_checkpoints=1e308', args: dir => [...CHECKPOINT(dir), '--param', 'checkpoint.time_between_checkpoints=1e308', '--dry-run'], exitCode: 2, where: /--param/, message: /from 0 to 31536000/},
  {name: 'an unknown --param key', args: dir => [...TRAIN(dir), '--param', 'reader.read_thread=8', '--dry-run'], exitCode: 2, where: /--param/, message: /did you mean reader\.read_threads\?/},
  {name: 'MLPS_PROGRESS_INTERVAL=abc', args: dir => [...TRAIN(dir), '--dry-run'], env: {MLPS_PROGRESS_INTERVAL: 'abc'}, exitCode: 2, where: /^MLPS_PROGRESS_INTERVAL$/, message: /not a number of seconds/},
  {name: 'doctor --command explode', args: () => ['doctor', '--benchmark', 'training', '--command', 'explode'], exitCode: 2, where: /^--command$/, message: /no command "explode"/},
  {name: 'doctor --model gpt5', args: () => ['doctor', '--model', 'gpt5'], exitCode: 2, where: /^--model$/, message: /"gpt5"/},
  // parse errors: exit 2 under the flag, never oclif's internals
  {name: 'kvcache run --gpu-mem-gb 99999999', args: dir => ['kvcache', 'run', '--gpu-mem-gb', '99999999', '--results-dir', dir], exitCode: 2, where: /^--gpu-mem-gb$/, message: /at most 65536/},
  {name: 'kvcache run --cpu-mem-gb -4', args: dir => ['kvcache', 'run', '--cpu-mem-gb', '-4', '--results-dir', dir], exitCode: 2, where: /^--cpu-mem-gb$/, message: /must be a number ≥ 0/},
  {name: 'history show abc', args: () => ['history', 'show', 'abc'], exitCode: 2, message: /Expected an integer/},
  {name: 'history show 0', args: () => ['history', 'show', '0'], exitCode: 2, message: /greater than or equal to 1/},
  {name: 'history rerun 1.5', args: () => ['history', 'rerun', '1.5'], exitCode: 2, message: /Expected an integer/},
  {name: 'an unknown flag', args: dir => [...TRAIN(dir), '--bogus'], exitCode: 2, where: /^--bogus$/, message: /Nonexistent flag/},
  // the config file is checked wherever it is read, even where a flag overrides the value
  {name: 'rulesEdition "7.7"', config: 'rulesEdition: "7.7"\n', args: dir => [...TRAIN(dir), '--dry-run'], exitCode: 2, where: /mlps\.config\.yaml$/, message: /no rules edition "7\.7"/},
  {name: 'benchmarks.training.accelerator: z100 under -g h100', config: 'benchmarks:\n  training:\n    accelerator: z100\n', args: dir => [...TRAIN(dir), '--dry-run'], exitCode: 2, message: /benchmarks\.training\.accelerator/},
  {name: 'a misspelt benchmarks.trainng', config: 'benchmarks:\n  trainng:\n    accelerator: h100\n', args: dir => [...TRAIN(dir), '--dry-run'], exitCode: 2, message: /no benchmark "trainng".*\n.*did you mean "training"/},
  {name: 'config show with a misspelt benchmarks.trainng', config: 'benchmarks:\n  trainng: {}\n', args: () => ['config', 'show'], exitCode: 2, message: /no benchmark "trainng"/},
  // filesystem problems name the path, with a fix
  {name: 'a results dir that is a file (ENOTDIR)', args: dir => [...DATASIZE(), '--results-dir', join(dir, 'a-file')], exitCode: 2, where: /a-file$/, message: /is a file, not a folder \(ENOTDIR/},
  {name: 'reportgen --output-dir <file> (EEXIST)', args: dir => ['reports', 'reportgen', '--results-dir', join(repoRoot, 'fixtures/storage_results_v1.0'), '--edition', '1.0', '--output-dir', join(dir, 'a-file')], exitCode: 2, where: /a-file$/, message: /EEXIST/},
  {name: 'lockfile generate -o <dir> (EISDIR)', args: dir => ['lockfile', 'generate', '-o', join(dir, 'empty-results')], exitCode: 2, where: /empty-results$/, message: /is a folder, not a file \(EISDIR/},
]

describe('bad input gives the documented exit code and error JSON (built CLI)', function () {
  this.timeout(120_000)

  for (const badInput of CASES) {
    it(badInput.name, async () => {
      const dir = tempDir()
      writeFileSync(join(dir, 'a-file'), 'not a folder\n')
      mkdirSync(join(dir, 'empty-results'))
      if (badInput.config) writeFileSync(join(dir, 'mlps.config.yaml'), badInput.config)
      const result = await runCli([...badInput.args(dir), '--json'], {env: {...isolatedEnv(), ...badInput.env}, cwd: dir})
      assert.equal(result.exitCode, badInput.exitCode, result.stdout + result.stderr)
      const {error} = JSON.parse(result.stdout) as {error: Record<string, unknown>}
      assert.deepEqual(Object.keys(error).filter(key => !['message', 'where', 'fix', 'exitCode'].includes(key)), [], 'one shape: message, where, fix, exitCode')
      assert.equal(error.exitCode, badInput.exitCode)
      assert.match(String(error.message), badInput.message)
      assert.equal(typeof error.fix, 'string', 'every error says how to fix it')
      if (badInput.where) assert.match(String(error.where), badInput.where)
      assert.ok(result.stdout.length < 10_000, 'no internal config dumped')
    })
  }

  it('a key --param refuses is taken with --new-param, as a user override the rules judge', async () => {
    const result = await runCli(['training', 'configview', '-m', 'unet3d', '-g', 'h100', '--new-param', 'reader.my_option=3', '--json'])
    assert.equal(result.exitCode, 0, result.stderr)
    const view = JSON.parse(result.stdout) as {workload: {reader: Record<string, unknown>}; userOverrides: Record<string, unknown>}
    assert.equal(view.workload.reader.my_option, 3)
    assert.deepEqual(view.userOverrides, {'reader.my_option': 3})
  })

  it('a --cache-dir that is a file is refused before the engine starts (exit 2)', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'a-file'), 'not a folder\n')
    const result = await runCli(['kvcache', 'run', '--engine', 'native', '--open', '--cache-dir', join(dir, 'a-file'), '-d', '1', '--results-dir', join(dir, 'results'), '--json'])
    assert.equal(result.exitCode, 2, result.stdout + result.stderr)
    const output = JSON.parse(result.stdout) as {record: {statusReason: string; findings: Array<{ruleId: string}>; timings: {phases: Record<string, unknown>}}}
    assert.match(output.record.statusReason, /^preflight: .*a-file is a file, not a folder/)
    assert.ok(output.record.findings.some(finding => finding.ruleId === 'kvcache.cacheDirIsFolder'))
    assert.equal(output.record.timings.phases.run, undefined, 'the engine never ran')
  })

  it('more accelerators than the dataset gives a full step is refused before the engine starts (exit 2)', async () => {
    const dir = tempDir()
    const small = ['--param', 'dataset.num_files_train=140', '--param', 'dataset.record_length_bytes=1024', '--param', 'dataset.record_length_bytes_stdev=0']
    const common = ['-m', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...small]
    const datagen = await runCli(['training', 'datagen', ...common, '-n', '1', '--json'])
    assert.equal(datagen.exitCode, 0, datagen.stdout + datagen.stderr)
    const result = await runCli(['training', 'run', ...common, '-g', 'h100', '-n', '500', '--param', 'train.epochs=1', '--json'])
    assert.equal(result.exitCode, 2, result.stdout + result.stderr)
    const output = JSON.parse(result.stdout) as {record: {statusReason: string; timings: {phases: Record<string, unknown>}}}
    assert.match(output.record.statusReason, /^preflight: 140 files × 1 samples give no full step of 7 samples on each of 500 accelerators/)
    assert.equal(output.record.timings.phases.run, undefined, 'the engine never ran')
  })

  it('--version --json prints JSON', async () => {
    const result = await runCli(['--version', '--json'])
    assert.equal(result.exitCode, 0)
    const version = JSON.parse(result.stdout) as {name: string; version: string; node: string}
    assert.equal(version.name, 'mlps')
    assert.match(version.version, /^\d+\.\d+\.\d+/)
    assert.equal(version.node, process.version)
  })

  it('a parse error under --json does not echo a secret from the argv', async () => {
    const result = await runCli(['training', 'run', '-m', 'unet3d', '-n', 'x', '--param', 'storage.storage_options.secret_key=Hush-8812', '--json'])
    assert.equal(result.exitCode, 2)
    assert.ok(!result.stdout.includes('Hush-8812') && !result.stderr.includes('Hush-8812'))
  })
})

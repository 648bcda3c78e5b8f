import assert from 'node:assert/strict'
import {copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {execa} from 'execa'
import {isolatedEnv, parseJson, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {v3Constructed} from './fixtures.js'

interface RankPlan {rank: number; host: string; argv: string[]}
interface PassPlan {option: number; trial: number; folder: string; ranks: RankPlan[]}
interface RunJson {
  status: string
  exitCode: number
  leaf?: string
  plan?: {engine: string; details: {passes: PassPlan[]}}
  record: {status: string; statusReason?: string; findings: Array<{ruleId: string; severity: string; message: string; fix?: string}>; metrics: Record<string, unknown>; extra: Record<string, unknown>}
}

/** A kv_cache_benchmark/ folder with the stand-in kv-cache.py, and an empty kv_cache package for the kvcache-py.python check to import. */
function standinBenchmark(): string {
  const bench = tempDir('kvbench-')
  copyFileSync(join(repoRoot, 'test', 'kvcache', 'mock-kv-cache.py'), join(bench, 'kv-cache.py'))
  writeFileSync(join(bench, 'config.yaml'), '# stand-in\n')
  mkdirSync(join(bench, 'kv_cache'))
  for (const file of ['__init__.py', 'cli.py']) writeFileSync(join(bench, 'kv_cache', file), '# stand-in\n')
  return bench
}

describe('kvcache CLI (built)', function () {
  this.timeout(60_000)

  it('--engine kvcache-py --dry-run --json prints every rank\'s argv for each CLOSED option, without kv-cache.py installed', async () => {
    const results = tempDir()
    const result = await runCli(['kvcache', 'run', '--engine', 'kvcache-py', '--dry-run', '--json', '--npernode', '2', '--results-dir', results, '--cache-dir', '/mnt/nvme/kv'])
    assert.equal(result.exitCode, 0, result.stderr)
    const json = parseJson<RunJson>(result)
    assert.equal(json.plan?.engine, 'kvcache-py')
    const passes = json.plan!.details.passes
    assert.deepEqual(passes.map(pass => pass.folder), ['option_1/trial_0', 'option_1/trial_1', 'option_1/trial_2', 'option_2/trial_0', 'option_2/trial_1', 'option_2/trial_2', 'option_3/trial_0', 'option_3/trial_1', 'option_3/trial_2'])
    for (const pass of passes) {
      assert.deepEqual(pass.ranks.map(rank => rank.rank), [0, 1])
      for (const rank of pass.ranks) {
        const argv = rank.argv
        assert.equal(argv[argv.indexOf('--seed') + 1], String(42 + rank.rank))
        assert.equal(argv[argv.indexOf('--cache-dir') + 1], `/mnt/nvme/kv/rank_${rank.rank}`)
        assert.match(argv[argv.indexOf('--output') + 1], new RegExp(`/kv_cache/llama3\\.1-8b/run/\\d{8}_\\d{6}/${pass.folder}/rank_${rank.rank}/kvcache_results_\\d{8}_\\d{6}\\.json$`))
      }
    }
    const option3 = passes[6].ranks[0].argv
    assert.deepEqual(option3.slice(option3.indexOf('--model')), ['--model', 'llama3.1-70b-instruct', '--num-users', '70', '--duration', '300', '--gpu-mem-gb', '0', '--cpu-mem-gb', '0', '--max-concurrent-allocs', '4', '--generation-mode', 'none'])
    assert.ok(json.record.findings.some(finding => finding.ruleId === 'kvcache-py.script' && finding.severity === 'error'), 'the plan carries the missing-script problem')
  })

  it('a real run without kv-cache.py stops in preflight with an install hint and exits 3', async () => {
    const result = await runCli(['kvcache', 'run', '--json', '--results-dir', tempDir()])
    assert.equal(result.exitCode, 3, result.stderr)
    const json = parseJson<RunJson>(result)
    assert.equal(json.record.status, 'FAILED')
    const finding = json.record.findings.find(f => f.ruleId === 'kvcache-py.script')
    assert.match(finding?.fix ?? '', /mlcommons\/storage.*--kvcache-bin-path/)
    const cache = json.record.findings.find(f => f.ruleId === '6.4.1 kvcacheCacheDirOutsideResults')
    assert.equal(cache?.severity, 'error', 'CLOSED without --cache-dir would write the cache into the results: said before the run, with the rest')
    assert.match(cache?.fix ?? '', /--cache-dir .* outside --results-dir/)
  })

  it('a --cache-dir outside the results folder satisfies R 6.4.1 before the run; OPEN only warns about one inside', async () => {
    const results = tempDir()
    const outside = parseJson<RunJson>(await runCli(['kvcache', 'run', '--json', '--results-dir', results, '--cache-dir', tempDir()]))
    assert.ok(!outside.record.findings.some(f => f.ruleId === '6.4.1 kvcacheCacheDirOutsideResults'))
    const inside = parseJson<RunJson>(await runCli(['kvcache', 'run', '--open', '--json', '--results-dir', results, '--cache-dir', `${results}/kv`]))
    assert.equal(inside.record.findings.find(f => f.ruleId === '6.4.1 kvcacheCacheDirOutsideResults')?.severity, 'warn')
  })

  it('places MPI ranks as the reference does, --npernode N --map-by node (not the --map-by socket of a one-host DLIO run)', async () => {
    const home = tempDir('kvhome-')
    const config = join(home, 'mlps.config.json')
    writeFileSync(config, JSON.stringify({launcher: {type: 'openmpi'}}))
    const result = await runCli(['kvcache', 'run', '--open', '--engine', 'kvcache-py', '--option', '1', '--trials', '1', '--inter-option-delay', '0', '--npernode', '2',
      '--kvcache-bin-path', join(standinBenchmark(), 'kv-cache.py'), '--config', config, '--results-dir', tempDir(), '--dry-run', '--json'])
    assert.equal(result.exitCode, 0, result.stderr)
    const argv = parseJson<{plan: {argv: string[]}}>(result).plan.argv
    assert.deepEqual(argv.slice(1, 5), ['-n', '2', '-host', 'localhost:2'])
    const at = argv.indexOf('--npernode')
    assert.deepEqual(argv.slice(at, at + 4), ['--npernode', '2', '--map-by', 'node'])
    assert.ok(!argv.includes('socket'), argv.join(' '))
  })

  it('--python picks the interpreter; before the run, it must import what kv-cache.py imports, naming the missing module', async () => {
    const venv = tempDir('kvpython-')
    await execa('python3', ['-m', 'venv', '--without-pip', venv])
    const result = await runCli(['kvcache', 'run', '--open', '--engine', 'kvcache-py', '--option', '1', '--trials', '1', '--inter-option-delay', '0',
      '--python', join(venv, 'bin', 'python'), '--kvcache-bin-path', join(standinBenchmark(), 'kv-cache.py'), '--results-dir', tempDir(), '--json'])
    assert.equal(result.exitCode, 3, result.stderr)
    const finding = parseJson<RunJson>(result).record.findings.find(f => f.ruleId === 'kvcache-py.python')
    assert.match(finding?.message ?? '', new RegExp(`${join(venv, 'bin', 'python')} cannot import yaml`))
    assert.match(finding?.fix ?? '', /-m pip install PyYAML/)
    const planned = parseJson<{plan: {argv: string[]}}>(await runCli(['kvcache', 'run', '--open', '--engine', 'kvcache-py', '--option', '1', '--trials', '1',
      '--python', '/usr/bin/python3', '--kvcache-bin-path', join(standinBenchmark(), 'kv-cache.py'), '--results-dir', tempDir(), '--dry-run', '--json']))
    assert.equal(planned.plan.argv[0], '/usr/bin/python3')
  })

  it('CLOSED with a changed workload exits 2 and names the flags', async () => {
    const result = await runCli(['kvcache', 'run', '--num-users', '4', '--trials', '1', '--results-dir', tempDir()])
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /--num-users changes the workload/)
    assert.match(result.stderr, /--trials must be 3/)
  })

  it('runs ranks of a stand-in kv-cache.py (mock: the real one cannot be installed here) and fails the run when a rank leaves no results', async () => {
    const bench = standinBenchmark()
    const env = {...isolatedEnv(), MOCK_KV_SAMPLE: v3Constructed, MOCK_KV_FAIL_SEED: '43'}
    const result = await runCli(['kvcache', 'run', '--open', '--option', '1', '--trials', '2', '--npernode', '2', '--inter-option-delay', '0',
      '--kvcache-bin-path', join(bench, 'kv-cache.py'), '--results-dir', tempDir(), '--json'], {env})
    assert.equal(result.exitCode, 1, result.stderr)
    const json = parseJson<RunJson>(result)
    assert.equal(json.record.status, 'FAILED')
    assert.match(json.record.statusReason ?? '', /rank 1 exited with code 137/)
    assert.equal(json.record.metrics.kvcache_opt1_read_GiB_per_second, null, 'never an average with the missing rank as zero')
    assert.equal(json.record.metrics.kvcache_partial_failure, true)
    const summary = JSON.parse(readFileSync(join(json.leaf!, 'summary.json'), 'utf8'))
    assert.equal(summary.options['1'].partial_failure, true)
    assert.deepEqual(summary.options['1'].missing_files.map((entry: string) => entry.split(':')[0]), ['option_1/trial_0/rank_1', 'option_1/trial_1/rank_1'])
    // the reference's layout, as the MPI path writes it: one pair of logs per pass in the leaf
    assert.ok(existsSync(join(json.leaf!, `kvcache_opt1_trial0_${basename(json.leaf!)}.stdout.log`)))
    assert.match(readFileSync(join(json.leaf!, `kvcache_opt1_trial0_${basename(json.leaf!)}.stdout.log`), 'utf8'), /Results saved to .*rank_0/)
    assert.ok(!existsSync(join(json.leaf!, 'option_1/trial_0/rank_0/stdout.log')))
  })

  it('aggregates every rank of the stand-in kv-cache.py when all of them report', async () => {
    const bench = standinBenchmark()
    const result = await runCli(['kvcache', 'run', '--open', '--option', '2', '--trials', '2', '--npernode', '2', '--inter-option-delay', '0',
      '--kvcache-bin-path', join(bench, 'kv-cache.py'), '--results-dir', tempDir(), '--json'], {env: {...isolatedEnv(), MOCK_KV_SAMPLE: v3Constructed}})
    assert.equal(result.exitCode, 0, result.stderr)
    const json = parseJson<RunJson>(result)
    assert.equal(json.record.status, 'COMPLETED')
    // two identical ranks per trial, two identical trials: the sum over ranks, averaged over trials
    assert.equal(json.record.metrics.kvcache_opt2_read_GiB_per_second, 2 * (4084.06 / 300.00014))
    assert.equal(json.record.metrics.kvcache_opt2_device_read_p95_ms, 13554.67)
  })

  it('starts the ranks through real mpirun (launcher.type openmpi) and catches a dead rank from its missing file, though mpirun exits 0', async () => {
    const bench = standinBenchmark()
    const env = {...isolatedEnv(), MLPS_LAUNCHER__TYPE: 'openmpi', MOCK_KV_SAMPLE: v3Constructed, MOCK_KV_FAIL_SEED: '44'}
    const result = await runCli(['kvcache', 'run', '--open', '--option', '1', '--trials', '1', '--npernode', '3', '--inter-option-delay', '0',
      '--kvcache-bin-path', join(bench, 'kv-cache.py'), '--results-dir', tempDir(), '--json'], {env})
    assert.equal(result.exitCode, 1, result.stderr)
    const json = parseJson<RunJson & {record: {commands: Array<{argv: string[]; exitCode: number}>}}>(result)
    assert.equal(json.record.commands[0].argv[1], '-n')
    assert.match(json.record.commands[0].argv[0], /mpirun$/)
    assert.equal(json.record.commands[0].exitCode, 0)
    assert.match(json.record.statusReason ?? '', /option_1\/trial_0\/rank_2: no kvcache_results/)
    const table = JSON.parse(readFileSync(join(json.leaf!, 'option_1/trial_0/rank_argv.json'), 'utf8'))
    assert.deepEqual(table.ranks.map((rank: {argv: string[]}) => rank.argv[rank.argv.indexOf('--seed') + 1]), ['42', '43', '44'])
    assert.ok(existsSync(join(json.leaf!, 'option_1/trial_0/rank_1', readdirSync(join(json.leaf!, 'option_1/trial_0/rank_1')).find(name => name.startsWith('kvcache_results_'))!)))
  })

  it('datasize --json sizes each option from the model geometry', async () => {
    const result = await runCli(['kvcache', 'datasize', '--json', '--results-dir', tempDir()])
    assert.equal(result.exitCode, 0, result.stderr)
    const json = parseJson<RunJson>(result)
    const sizes = (json.record.extra.kvcache as {datasize: Array<{option: number; bytesPerToken: number}>}).datasize
    assert.deepEqual(sizes.map(size => [size.option, size.bytesPerToken]), [[1, 131_072], [2, 131_072], [3, 327_680]])
  })
})

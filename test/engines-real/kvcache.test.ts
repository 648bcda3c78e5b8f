import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {parseTolerantJson} from '../../src/util/tolerant-json.js'
import {isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'
import {requireEngines} from './engines.js'

interface RunOutput {
  status: string
  exitCode: number
  leaf?: string
  record: {status: string; statusReason?: string; metrics: Record<string, unknown>; commands: Array<{argv: string[]}>}
}
interface RankSummary {
  avg_throughput_tokens_per_sec: number
  storage_throughput_tokens_per_sec: number
  storage_io_latency_ms: {p95: number}
  cache_stats: Record<string, number>
}

const json = (file: string) => parseTolerantJson(readFileSync(file, 'utf8')) as Record<string, any>

/** Each rank's own `summary` in kv-cache.py's results file, rank order. */
function rankSummaries(leaf: string, option: number, trial: number): RankSummary[] {
  const pass = join(leaf, `option_${option}`, `trial_${trial}`)
  const ranks = readdirSync(pass).filter(name => /^rank_\d+$/.test(name)).sort()
  return ranks.map(rank => {
    const [file] = readdirSync(join(pass, rank)).filter(name => /^kvcache_results_.*\.json$/.test(name))
    return json(join(pass, rank, file)).summary as RankSummary
  })
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** The option's recorded figures are kv-cache.py's own: summed over ranks, P95s the maxima, exactly. */
function assertFiguresAreKvCaches(output: RunOutput, ranks: number): void {
  const leaf = output.leaf!
  const files = rankSummaries(leaf, 1, 0)
  assert.equal(files.length, ranks)
  const option = json(join(leaf, 'summary.json')).options['1']
  const metrics = output.record.metrics
  const tokens = sum(files.map(f => f.avg_throughput_tokens_per_sec))
  assert.equal(option.aggregated_avg_throughput_tokens_per_sec, tokens)
  assert.equal(metrics.kvcache_opt1_throughput_tokens_per_second, tokens)
  assert.equal(metrics.kvcache_opt1_storage_throughput_tokens_per_second, sum(files.map(f => f.storage_throughput_tokens_per_sec)))
  assert.equal(metrics.kvcache_opt1_read_GiB_per_second, sum(files.map(f => f.cache_stats.tier_storage_read_bandwidth_gbps)))
  assert.equal(metrics.kvcache_opt1_write_GiB_per_second, sum(files.map(f => f.cache_stats.tier_storage_write_bandwidth_gbps)))
  assert.equal(metrics.kvcache_opt1_storage_io_p95_ms, Math.max(...files.map(f => f.storage_io_latency_ms.p95)))
  assert.equal(option.aggregated_p95_latency_ms, Math.max(...files.map(f => f.storage_io_latency_ms.p95)))
  assert.equal(metrics.kvcache_opt1_read_p95_ms, Math.max(...files.map(f => f.cache_stats.storage_read_p95_ms)))
  assert.equal(metrics.kvcache_opt1_device_read_p95_ms, Math.max(...files.map(f => f.cache_stats.storage_read_device_p95_ms)))
  assert.equal(metrics.kvcache_opt1_device_write_p95_ms, Math.max(...files.map(f => f.cache_stats.storage_write_device_p95_ms)))
  assert.ok(tokens > 0)
}

describe('real kv-cache.py (mlcommons/storage v3.0): one rank, two ranks under mpirun, a pass that completes nothing (built CLI)', function () {
  this.timeout(600_000)
  let dir: string
  let one: RunOutput
  let two: RunOutput
  let idle: RunOutput

  before(async function () {
    const {python, kvcacheScript} = requireEngines(this)
    dir = tempDir('mlps-real-kv-')
    const mpi = join(dir, 'mpi.json')
    writeFileSync(mpi, JSON.stringify({launcher: {type: 'openmpi'}}))
    // OPEN, a small model and 5 s: both ranks on this host's 2 cores must complete requests
    const run = async (name: string, args: string[]) => parseJson<RunOutput>(await runCli(['kvcache', 'run', '--open', '--engine', 'kvcache-py', '--trials', '1', '--inter-option-delay', '0',
      '--python', python, '--kvcache-bin-path', kvcacheScript, '--cache-dir', join(dir, `cache-${name}`), '--results-dir', join(dir, name), '--json', ...args], {env: isolatedEnv()}))
    one = await run('one', ['--option', '1', '--duration', '5', '--num-users', '2', '--model', 'tiny-1b'])
    two = await run('two', ['--option', '1', '--duration', '5', '--num-users', '2', '--model', 'tiny-1b', '-n', '2', '--config', mpi])
    // the 70B option for 1 s: its first request (a 1.6 GB prefill) outlasts the pass
    idle = await run('idle', ['--option', '3', '--duration', '1', '--num-users', '1'])
  })
  // the caches kv-cache.py wrote are gigabytes: a suite that keeps them fills a small disk
  after(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('1 rank: tokens/s, bandwidths and P95s recorded are kv-cache.py\'s own', () => {
    assert.equal(one.status, 'COMPLETED', one.record.statusReason)
    assertFiguresAreKvCaches(one, 1)
  })

  it('1 rank without MPI: the reference\'s log layout, kvcache_opt<O>_trial<T>_<ts>.{stdout,stderr}.log in the leaf', () => {
    const prefix = `kvcache_opt1_trial0_${basename(one.leaf!)}`
    assert.match(readFileSync(join(one.leaf!, `${prefix}.stderr.log`), 'utf8'), /kv_cache\.cli - INFO - Results saved to/)
    assert.ok(existsSync(join(one.leaf!, `${prefix}.stdout.log`)))
    assert.deepEqual(readdirSync(join(one.leaf!, 'option_1', 'trial_0', 'rank_0')).filter(name => !name.startsWith('kvcache_results_')), [])
  })

  it('2 ranks under mpirun (--npernode 2 --map-by node): per-rank sums and maxima equal the ranks\' own files', () => {
    assert.equal(two.status, 'COMPLETED', two.record.statusReason)
    assertFiguresAreKvCaches(two, 2)
    const [argv] = two.record.commands.map(command => command.argv)
    assert.equal(basename(argv[0]), 'mpirun')
    const at = argv.indexOf('--npernode')
    assert.deepEqual(argv.slice(at, at + 4), ['--npernode', '2', '--map-by', 'node'])
    assert.ok(existsSync(join(two.leaf!, `kvcache_opt1_trial0_${basename(two.leaf!)}.stdout.log`)))
  })

  it('a pass in which kv-cache.py completes 0 requests (it exits 0, no summary) fails the run saying so', () => {
    assert.equal(idle.exitCode, 1)
    assert.equal(idle.record.status, 'FAILED')
    assert.match(idle.record.statusReason ?? '', /^1 rank completed 0 requests \(option_3\/trial_0\/rank_0\): kv-cache\.py ended the pass before any request finished/)
    assert.doesNotMatch(idle.record.statusReason ?? '', /died/)
  })

  it('verify and reportgen read the 2-rank leaf: reportgen\'s throughput and bandwidths are the aggregated figures', async () => {
    const verify = await runCli(['verify', two.leaf!, '--json'])
    assert.ok([0, 4].includes(verify.exitCode), verify.stderr)
    assert.deepEqual(parseJson<{groups: Array<{benchmark: string}>}>(verify).groups.map(group => group.benchmark), ['kv_cache'])
    const report = join(dir, 'report')
    const reportgen = await runCli(['reports', 'reportgen', '--results-dir', join(dir, 'two'), '--output-dir', report, '--json'])
    assert.ok([0, 4].includes(reportgen.exitCode), reportgen.stderr)
    const row = (JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as {rows: Array<{benchmark: string; metrics: Record<string, number>}>}).rows[0]
    const option = json(join(two.leaf!, 'summary.json')).options['1']
    assert.equal(row.metrics.kvcache_opt1_throughput_tokens_per_second, option.aggregated_avg_throughput_tokens_per_sec)
    assert.equal(row.metrics.kvcache_opt1_read_GiB_per_second, option.aggregated_read_bandwidth_gbps)
    assert.equal(row.metrics.kvcache_opt1_write_GiB_per_second, option.aggregated_write_bandwidth_gbps)
  })

  it('reportgen shows the official tables\' P95 (aggregated_p95_latency_ms), labelled as the latency it is', async () => {
    const report = join(dir, 'report-p95')
    await runCli(['reports', 'reportgen', '--results-dir', join(dir, 'two'), '--output-dir', report, '--json'])
    const row = (JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as {rows: Array<{metrics: Record<string, number>}>}).rows[0]
    const option = json(join(two.leaf!, 'summary.json')).options['1']
    const p95 = Object.entries(row.metrics).filter(([key]) => /p95/i.test(key))
    assert.ok(p95.some(([key, value]) => value === option.aggregated_p95_latency_ms && /storage_io|request/.test(key)), JSON.stringify(p95))
  })

  it('`mlps verify <kv leaf>` labels the category row with the leaf, not ../..', async () => {
    const verify = parseJson<{groups: Array<{path: string}>}>(await runCli(['verify', two.leaf!, '--json']))
    assert.notEqual(verify.groups[0].path, '../..')
    assert.ok(two.leaf!.endsWith(verify.groups[0].path.replace(/^\.\//, '')) || verify.groups[0].path.endsWith(basename(two.leaf!)), verify.groups[0].path)
  })
})

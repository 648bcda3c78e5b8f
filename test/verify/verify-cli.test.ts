import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {isolatedEnv, parseJson, repoRoot, runCli, tempDir} from '../helpers/cli.js'
import {edit, runLeaf, writeValidTree} from './valid-tree.js'

const V1 = join(repoRoot, 'fixtures/storage_results_v1.0')

describe('mlps verify (built CLI)', function () {
  this.timeout(60_000)
  let tree: string
  before(() => {
    tree = tempDir('mlps-verify-cli-')
    writeValidTree(tree)
  })
  after(() => rmSync(tree, {recursive: true, force: true}))

  it('exits 0 on the real v1.0 results with --edition 1.0 and prints the documented JSON', async () => {
    const result = await runCli(['verify', V1, '--edition', '1.0', '--json'], {env: isolatedEnv()})
    assert.equal(result.exitCode, 0, result.stderr)
    const json = parseJson<{edition: string; category: string; groups: Array<{path: string; benchmark: string; model: string; category: string; findings: unknown[]}>; findings: unknown[]}>(result)
    assert.equal(json.edition, '1.0')
    assert.equal(json.category, 'OPEN')
    assert.ok(json.groups.some(group => group.path === 'Open/Volumez/results/File-Direct/unet3d/h100' && group.category === 'OPEN' && group.model === 'unet3d'))
    assert.ok(Array.isArray(json.findings))
  })

  it('exits 4 when something is INVALID, and the table names the rule, the fix and the evidence', async () => {
    edit(tree, `${runLeaf(2)}/metadata.json`, record => {
      record.metrics.train_au_meet_expectation = 'fail'
    })
    const result = await runCli(['verify', tree], {env: isolatedEnv()})
    assert.equal(result.exitCode, 4, result.stderr)
    assert.match(result.stdout, /ERROR 3\.3\.2 trainingAcceleratorUtilization/)
    assert.match(result.stdout, /fix: /)
    assert.match(result.stdout, /evidence: .*metadata\.json @ metrics\.train_au_meet_expectation = "fail"/)
    assert.match(result.stdout, /overall INVALID/)
    const json = await runCli(['verify', join(tree, runLeaf(2)), '--json'], {env: isolatedEnv()})
    assert.equal(json.exitCode, 4, 'a single run leaf can be verified, and --json keeps the exit code')
    assert.equal(parseJson<{category: string}>(json).category, 'INVALID')
  })

  it('bad input exits 2: an unknown edition lists the installed ones; a missing folder is named', async () => {
    const unknown = await runCli(['verify', V1, '--edition', '9.9'], {env: isolatedEnv()})
    assert.equal(unknown.exitCode, 2)
    assert.match(unknown.stderr, /no rules edition "9\.9".*\n.*fix: use one of: .*1\.0.*3\.0/)
    const missing = await runCli(['verify', '/nonexistent/results', '--json'], {env: isolatedEnv()})
    assert.equal(missing.exitCode, 2)
    assert.match(parseJson<{error: {message: string; where: string}}>(missing).error.where, /nonexistent/)
    const option = await runCli(['verify', V1, '--option', 'nonsense'], {env: isolatedEnv()})
    assert.equal(option.exitCode, 2)
  })

  it('an --option the edition does not read exits 2 naming the one meant; a value it refuses exits 2 too', async () => {
    const typo = await runCli(['verify', tree, '--option', 'ranksPerHsot=at-least-4'], {env: isolatedEnv()})
    assert.equal(typo.exitCode, 2, typo.stderr)
    assert.match(typo.stderr, /--option ranksPerHsot=at-least-4: rules edition 3\.0 has no option "ranksPerHsot"; did you mean ranksPerHost\?/)
    assert.match(typo.stderr, /fix: write --option ranksPerHost=at-least-4 \(edition 3\.0 reads: ranksPerHost\)/)
    const value = await runCli(['verify', tree, '--option', 'ranksPerHost=at-least-5', '--json'], {env: isolatedEnv()})
    assert.equal(value.exitCode, 2)
    assert.equal(parseJson<{error: {where: string}}>(value).error.where, '--option ranksPerHost=at-least-5')
    const none = await runCli(['verify', V1, '--edition', '1.0', '--option', 'ranksPerHost=at-least-4'], {env: isolatedEnv()})
    assert.equal(none.exitCode, 2)
    assert.match(none.stderr, /edition 1\.0 takes no --option/)
    const known = await runCli(['verify', tree, '--option', 'ranksPerHost=at-least-4', '--json'], {env: isolatedEnv()})
    assert.notEqual(known.exitCode, 2, known.stderr)
  })

  it('a fresh native kvcache run is verified by the lifecycle and by mlps verify, its summary read as a KV-cache summary; reportgen says which options are n/a', async () => {
    const results = tempDir('mlps-kv-fresh-')
    const cache = tempDir('mlps-kv-fresh-cache-')
    try {
      const run = await runCli(['kvcache', 'run', '--open', '--engine', 'native', '--option', '1', '--trials', '1', '--duration', '1', '--model', 'tiny-1b', '--num-users', '2',
        '--max-context-tokens', '64', '--cpu-mem-gb', '0.005', '--npernode', '2', '--inter-option-delay', '0', '--cache-dir', cache,
        '--results-dir', results, '--json'], {env: isolatedEnv()})
      assert.equal(run.exitCode, 0, run.stderr)
      const record = parseJson<{leaf: string; record: {category: string; findings: Array<{ruleId: string}>}}>(run)
      assert.equal(record.record.category, 'OPEN', 'judged by the edition, no longer UNVERIFIED')
      // the cache and the results share /tmp's filesystem here: measured before the run, a warning in OPEN, and 6.4.1 says so too
      assert.deepEqual(record.record.findings.map(finding => finding.ruleId).sort(), ['6.4.1 kvcacheCacheFilesystem', 'mlps.engine.closedEligible', 'mlps.fsSeparation'])
      const workload = join(record.leaf, '../..')
      const verified = await runCli(['verify', workload, '--json'], {env: isolatedEnv()})
      assert.equal(verified.exitCode, 0, verified.stderr)
      const json = parseJson<{category: string; findings: Array<{ruleId: string}>}>(verified)
      assert.equal(json.category, 'OPEN')
      assert.ok(!json.findings.some(finding => finding.ruleId.startsWith('mlps.tree.')), JSON.stringify(json.findings))
      const report = await runCli(['reports', 'reportgen', '--results-dir', workload, '--output-dir', tempDir('mlps-kv-report-'), '--json'], {env: isolatedEnv()})
      assert.equal(report.exitCode, 0, report.stderr)
      const [row] = parseJson<{rows: Array<{metrics: Record<string, number | null>; missing: Record<string, string>}>}>(report).rows
      assert.ok((row.metrics.kvcache_opt1_read_GiB_per_second ?? 0) > 0)
      assert.equal(row.metrics.kvcache_opt2_read_GiB_per_second, null)
      assert.match(row.missing.kvcache_opt2_read_GiB_per_second, /kvcache_opt2_read_GiB_per_second missing in .*run\/\d{8}_\d{6}/)
    } finally {
      for (const dir of [results, cache]) rmSync(dir, {recursive: true, force: true})
    }
  })
})

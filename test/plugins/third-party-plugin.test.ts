import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {isolatedEnv, parseJson, repoRoot, runCli, startCli, TEST_ORGANIZATION, TEST_SYSTEM_NAME, tempDir} from '../helpers/cli.js'

const pluginDir = join(repoRoot, 'fixtures', 'plugins', 'mlps-plugin-example')

interface RunOutput {status: string; category: string; exitCode: number; leaf: string}
interface VerifyOutput {category: string; findings: Array<{ruleId: string; severity: string; message: string}>}

function readRecord(leaf: string) {
  return RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')))
}

describe('a third-party plugin, packaged on its own (built CLI)', function () {
  let tarball: string

  before(function () {
    const packDir = tempDir('mlps-pack-')
    // npm pack runs the plugin's prepack: tsc against the mlps types, then oclif manifest
    execFileSync('npm', ['pack', '--pack-destination', packDir, '--silent'], {cwd: pluginDir, stdio: ['ignore', 'ignore', 'pipe']})
    tarball = join(packDir, readdirSync(packDir).find(name => name.endsWith('.tgz'))!)
  })

  it('installs from a tarball, runs through the lifecycle with its hooks in order, and uninstalls', async () => {
    const env = isolatedEnv()
    const results = tempDir('mlps-results-')
    const install = await runCli(['plugins', 'install', `file:${tarball}`], {env})
    assert.equal(install.exitCode, 0, install.stderr)
    assert.match((await runCli(['plugins'], {env})).stdout, /mlps-plugin-example 1\.0\.0/)

    const run = await runCli(['example', 'run', '--size-kib', '32', '--results-dir', results, '--json'], {env})
    assert.equal(run.exitCode, 0, run.stdout + run.stderr)
    const output = parseJson<RunOutput>(run)
    assert.equal(output.status, 'COMPLETED')
    assert.ok(output.leaf.startsWith(join(results, 'closed', TEST_ORGANIZATION, 'results', TEST_SYSTEM_NAME)), output.leaf)
    const record = readRecord(output.leaf)
    assert.deepEqual((record.extra['mlps-plugin-example'] as {hooks: string[]}).hooks, ['setup', 'run', 'verify'])
    assert.equal(record.metrics.bytes, 32 * 1024)
    assert.equal(record.engine?.name, 'example-io')
    assert.equal(record.category, 'UNVERIFIED', 'the rules edition has no rules for this benchmark')
    assert.ok(record.findings.some(f => f.ruleId === 'mlps.rules.edition' && f.notEvaluable))
    assert.ok(existsSync(join(output.leaf, 'example.bin')))

    const uninstall = await runCli(['plugins', 'uninstall', 'mlps-plugin-example'], {env})
    assert.equal(uninstall.exitCode, 0, uninstall.stderr)
    const gone = await runCli(['example', 'run'], {env})
    assert.notEqual(gone.exitCode, 0)
    assert.match(gone.stderr, /command example:run not found|not found/i)
  })

  it('brings a whole benchmark: its summary read by verify, its rule beside edition 3.0\'s, its column in reportgen, its check in doctor', async () => {
    const env = isolatedEnv()
    const results = tempDir('mlps-results-')
    assert.equal((await runCli(['plugins', 'install', `file:${tarball}`], {env})).exitCode, 0)
    const leaves: string[] = []
    for (const size of ['32', '64']) {
      const run = await runCli(['example', 'run', '--size-kib', size, '--results-dir', results, '--json'], {env})
      assert.equal(run.exitCode, 0, run.stdout + run.stderr)
      leaves.push(parseJson<RunOutput>(run).leaf)
    }
    const summary = JSON.parse(readFileSync(join(leaves[1], 'example_summary.json'), 'utf8')) as {bytes_written: number; bytes_read: number; mib_per_second: number}
    assert.deepEqual([summary.bytes_written, summary.bytes_read], [64 * 1024, 64 * 1024])

    const clean = parseJson<VerifyOutput>(await runCli(['verify', results, '--edition', '3.0', '--json'], {env}))
    assert.ok(!clean.findings.some(f => f.ruleId === 'example.readBack'), 'every byte was read back')
    assert.ok(!clean.findings.some(f => f.ruleId === 'mlps.tree.unreadableFile'))

    writeFileSync(join(leaves[1], 'example_summary.json'), JSON.stringify({...summary, bytes_read: 1000}))
    const verify = await runCli(['verify', results, '--edition', '3.0', '--json'], {env})
    assert.equal(verify.exitCode, 4)
    const report = parseJson<VerifyOutput>(verify)
    const readBack = report.findings.find(f => f.ruleId === 'example.readBack')!
    assert.match(readBack.message, /read 1000 of the 65536 bytes written/)
    assert.equal(readBack.severity, 'error')
    const layout = report.findings.find(f => f.ruleId === '2.1.27 submissionLayout')!
    assert.match(layout.message, /example benchmark of plugin mlps-plugin-example/, 'the 3.0 rules run beside it and name the plugin')

    writeFileSync(join(leaves[1], 'example_summary.json'), JSON.stringify(summary))
    const output = tempDir('mlps-report-')
    const reportgen = await runCli(['reports', 'reportgen', '--results-dir', results, '--output-dir', output, '--edition', '3.0', '--json'], {env})
    assert.equal(reportgen.exitCode, 0, reportgen.stderr)
    const [header, line] = readFileSync(join(output, 'results.csv'), 'utf8').trimEnd().split('\n')
    const column = header.split(',').indexOf('example_MiB_per_second')
    assert.ok(column > 0, header)
    const expected = leaves.map(leaf => (JSON.parse(readFileSync(join(leaf, 'example_summary.json'), 'utf8')) as {mib_per_second: number}).mib_per_second)
    assert.ok(Math.abs(Number(line.split(',')[column]) - (expected[0] + expected[1]) / 2) < 1e-9, line)
    assert.match(readFileSync(join(output, 'report.html'), 'utf8'), /<th>example MiB\/s \(mean\)<\/th>/)

    const doctor = parseJson<{checks: Array<{check: string; status: string}>}>(await runCli(['doctor', '--benchmark', 'example', '--json'], {env, cwd: tempDir()}))
    assert.equal(doctor.checks.find(row => row.check === 'example.freeMemory')?.status, 'ok')
    assert.equal((await runCli(['plugins', 'uninstall', 'mlps-plugin-example'], {env})).exitCode, 0)
  })

  it('installs from a bare tarball path, and names a path that does not exist at once (exit 2)', async () => {
    const env = isolatedEnv()
    const missing = await runCli(['plugins', 'install', './no-such-plugin-1.0.0.tgz'], {env, cwd: tempDir()})
    assert.equal(missing.exitCode, 2)
    assert.match(missing.stderr, /\.\/no-such-plugin-1\.0\.0\.tgz: no such file or folder/)
    const install = await runCli(['plugins', 'install', `./${tarball.split('/').at(-1)}`], {env, cwd: dirname(tarball)})
    assert.equal(install.exitCode, 0, install.stderr)
    assert.match((await runCli(['plugins'], {env})).stdout, /mlps-plugin-example 1\.0\.0/)
    assert.equal((await runCli(['plugins', 'uninstall', 'mlps-plugin-example'], {env})).exitCode, 0)
  })

  it('a linked plugin prints no warning on the commands that follow', async () => {
    const env = isolatedEnv()
    delete env.OCLIF_DISABLE_LINKED_ESM_WARNING
    assert.equal((await runCli(['plugins', 'link', pluginDir, '--no-install'], {env})).exitCode, 0)
    const help = await runCli(['example', 'run', '--help'], {env})
    assert.equal(help.exitCode, 0, help.stderr)
    assert.equal(help.stderr, '')
    assert.equal((await runCli(['plugins', 'uninstall', 'mlps-plugin-example'], {env})).exitCode, 0)
  })

  it('links a plugin folder, and its bad input and interruption are reported honestly', async () => {
    const env = isolatedEnv()
    const results = tempDir('mlps-results-')
    const link = await runCli(['plugins', 'link', pluginDir, '--no-install'], {env})
    assert.equal(link.exitCode, 0, link.stderr)
    assert.match((await runCli(['plugins'], {env})).stdout, /mlps-plugin-example .*link/)

    const bad = await runCli(['example', 'run', '--size-kib', 'lots', '--results-dir', results], {env})
    assert.equal(bad.exitCode, 2)
    assert.match(bad.stderr, /size-kib/)

    const child = startCli(['example', 'run', '--hold-seconds', '60', '--results-dir', results, '--json'], {env})
    const leafDir = join(results, 'closed', TEST_ORGANIZATION, 'results')
    for (let i = 0; i < 300 && !existsSync(leafDir); i++) await delay(100)
    await delay(300)
    child.kill('SIGINT')
    const finished = await child
    assert.equal(finished.exitCode, 130)
    const output = JSON.parse(String(finished.stdout)) as RunOutput
    assert.equal(output.status, 'INTERRUPTED')
    assert.equal(readRecord(output.leaf).status, 'INTERRUPTED')

    assert.equal((await runCli(['plugins', 'uninstall', 'mlps-plugin-example'], {env})).exitCode, 0)
  })
})

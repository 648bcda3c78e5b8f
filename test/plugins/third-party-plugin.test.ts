import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {isolatedEnv, parseJson, repoRoot, runCli, startCli, tempDir} from '../helpers/cli.js'

const pluginDir = join(repoRoot, 'fixtures', 'plugins', 'mlps-plugin-example')

interface RunOutput {status: string; category: string; exitCode: number; leaf: string}

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
    assert.ok(output.leaf.startsWith(join(results, 'closed', 'local', 'results')), output.leaf)
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
    const leafDir = join(results, 'closed', 'local', 'results')
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

import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {placeholdersIn} from '@mlps/plugin-rules-v3'
import {parse, stringify} from 'yaml'
import {parseJson, runCli, tempDir, withoutSiteNames} from '../helpers/cli.js'
import {fillIn} from '../helpers/fill-system-description.js'

// the test names its organization and system in its own config file, which the CLI tests' env names would override
const siteCli = (args: string[]) => runCli(args, {env: withoutSiteNames()})

const SMALL = ['--param', 'dataset.num_files_train=8', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=0']

interface Finding {ruleId: string; severity: string; message: string; notEvaluable?: boolean; evidence?: Array<{path?: string; value?: unknown}>}
interface RunOutput {exitCode: number; leaf: string; record: {findings: Finding[]; artifacts: string[]; extra: {systemDescription?: {file: string; created: boolean}}}}

const separation = (leaf: string) => JSON.parse(readFileSync(join(leaf, 'fs_separation.json'), 'utf8'))
const placeholderPaths = (findings: Finding[]) => findings.filter(f => f.ruleId === 'SCHEMA3 systemPlaceholders').map(f => f.evidence?.[0]?.path).sort()

describe('the system description and fs_separation.json through the built CLI (native engine, a tmpfs as the storage under test; root)', function () {
  this.timeout(300_000)
  const dir = tempDir('mlps-system-')
  const sut = join(dir, 'sut')
  const results = join(dir, 'results')
  const config = join(dir, 'mlps.config.json')
  const description = join(results, 'closed', 'acme', 'systems', 'lab1.yaml')
  let mounted = false
  let datagen: RunOutput
  let run: RunOutput
  const training = (command: 'datagen' | 'run', dataDir: string, resultsDir: string, extra: string[] = []) => siteCli(['training', command, '-m', 'unet3d',
    ...(command === 'run' ? ['-g', 'h100', '-n', '1'] : ['-n', '1']), '--data-dir', dataDir, '--results-dir', resultsDir, '--config', config, ...SMALL, ...extra, '--json'])

  before(async function () {
    mkdirSync(sut)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', sut], {stdio: 'ignore'})
      mounted = true
    } catch {
      this.skip()
    }
    writeFileSync(config, JSON.stringify({organization: 'acme', systemName: 'lab1'}))
    const generated = await training('datagen', join(sut, 'data'), results)
    datagen = parseJson<RunOutput>(generated)
    assert.equal(generated.exitCode, 0, generated.stderr)
    const ran = await training('run', join(sut, 'data'), results)
    run = parseJson<RunOutput>(ran)
    assert.equal(ran.exitCode, 0, ran.stderr)
  })
  after(() => {
    if (mounted) execFileSync('umount', [sut])
  })

  it('every leaf keeps fs_separation.json: the dataset on the tmpfs, the results on the disk, proven by EXDEV; rule 3.4.2 passes', () => {
    for (const output of [datagen, run]) {
      const document = separation(output.leaf)
      assert.deepEqual([document.same_filesystem, document.method, document.results_dir], [false, 'link_exdev', results])
      assert.equal(document.hosts[0].paths[0].role, 'data_dir')
      assert.equal(document.hosts[0].paths[0].fs_type, 'tmpfs')
      assert.ok(output.record.artifacts.includes('fs_separation.json'))
      assert.ok(!output.record.findings.some(f => f.ruleId === 'mlps.fsSeparation'))
    }
    assert.deepEqual(run.record.findings.filter(f => f.ruleId === '3.4.2 trainingFilesystemCheck'), [], 'judged, and passed')
  })

  it('the first run wrote systems/lab1.yaml from this host\'s facts; the next one compared it', () => {
    assert.deepEqual(datagen.record.extra.systemDescription, {file: description, created: true})
    assert.deepEqual(run.record.extra.systemDescription, {file: description, created: false})
    assert.ok(!run.record.findings.some(f => f.ruleId === '2.1.9 systemConfigurationDrift'), 'the same host: no drift')
    const document = parse(readFileSync(description, 'utf8'))
    assert.equal(document.system_under_test.clients[0].quantity, 1)
    assert.equal(document.system_under_test.solution.submission_name, 'lab1')
  })

  it('`mlps system show` prints it; `system check` and `verify --edition 3.0` name every placeholder by its YAML path', async () => {
    const shown = await siteCli(['system', 'show', '--results-dir', results, '--config', config, '--json'])
    assert.equal(shown.exitCode, 0, shown.stderr)
    const show = parseJson<{file: string; description: any}>(shown)
    assert.equal(show.file, description)
    const expected = placeholderPaths(placeholdersIn(show.description).map(p => ({ruleId: 'SCHEMA3 systemPlaceholders', severity: 'error', message: '', evidence: [{path: p.path}]})))
    assert.ok(expected.length >= 10, expected.join(', '))
    const human = await siteCli(['system', 'show', '--results-dir', results, '--config', config])
    assert.match(human.stdout, /system_under_test:/)

    const checked = await siteCli(['system', 'check', '--results-dir', results, '--config', config, '--json'])
    assert.equal(checked.exitCode, 4)
    assert.deepEqual(placeholderPaths(parseJson<{findings: Finding[]}>(checked).findings), expected)

    const verified = await siteCli(['verify', results, '--edition', '3.0', '--json'])
    assert.equal(verified.exitCode, 4)
    assert.deepEqual(placeholderPaths(parseJson<{findings: Finding[]}>(verified).findings), expected)
  })

  it('hand-filled, the file is never overwritten; a fact that differs is a drift finding; filled and right, `system check` is clean', async () => {
    const document = fillIn(parse(readFileSync(description, 'utf8')))
    const measured = document.system_under_test.clients[0].chassis.memory_capacity
    document.system_under_test.clients[0].chassis.memory_capacity = measured + 16
    const handWritten = `# filled in by hand\n${stringify(document)}`
    writeFileSync(description, handWritten)
    const again = parseJson<RunOutput>(await training('run', join(sut, 'data'), results))
    assert.equal(readFileSync(description, 'utf8'), handWritten)
    const drift = again.record.findings.filter(f => f.ruleId === '2.1.9 systemConfigurationDrift')
    assert.deepEqual(drift.map(f => [f.severity, f.evidence?.[0]?.path, f.evidence?.[0]?.value]), [['warn', 'system_under_test.clients[0].chassis.memory_capacity', measured]])
    const checkedDrift = parseJson<{findings: Finding[]}>(await siteCli(['system', 'check', '--results-dir', results, '--config', config, '--json']))
    assert.ok(checkedDrift.findings.some(f => f.ruleId === '2.1.9 systemConfigurationDrift'))

    document.system_under_test.clients[0].chassis.memory_capacity = measured
    writeFileSync(description, stringify(document))
    const clean = await siteCli(['system', 'check', '--results-dir', results, '--config', config, '--json'])
    assert.equal(clean.exitCode, 0, clean.stdout)
    assert.deepEqual(parseJson<{findings: Finding[]}>(clean).findings.filter(f => f.severity !== 'info'), [])
  })

  it('one filesystem: in OPEN the preflight warns and rule 3.4.2 warns, with same_filesystem true in the leaf', async () => {
    const oneFs = join(dir, 'one-fs')
    const generated = parseJson<RunOutput>(await training('datagen', join(oneFs, 'data'), join(oneFs, 'results'), ['--open']))
    const ran = await training('run', join(oneFs, 'data'), join(oneFs, 'results'), ['--open'])
    const output = parseJson<RunOutput>(ran)
    assert.equal(ran.exitCode, 0, ran.stderr)
    for (const leaf of [generated.leaf, output.leaf]) assert.equal(separation(leaf).same_filesystem, true)
    assert.equal(output.record.findings.find(f => f.ruleId === 'mlps.fsSeparation')?.severity, 'warn')
    assert.equal(output.record.findings.find(f => f.ruleId === '3.4.2 trainingFilesystemCheck')?.severity, 'warn')
  })

  it('without a description `mlps system show` is bad input naming the file', async () => {
    const missing = await runCli(['system', 'show', '--results-dir', join(dir, 'nothing'), '--system-name', 'ghost', '--json'])
    assert.equal(missing.exitCode, 2)
    assert.match(missing.stdout, /ghost\.yaml/)
    assert.ok(!existsSync(join(dir, 'nothing')))
  })
})

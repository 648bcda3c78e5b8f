import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {isolatedEnv, parseJson, runCli, startCli, tempDir, withoutSiteNames} from '../helpers/cli.js'

const SMALL = ['--param', 'dataset.num_files_train=42', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=65536']
const DATASIZE = ['training', 'datasize', '--model', 'unet3d', '--accelerator-type', 'h100', '--max-accelerators', '1', '--client-host-memory-in-gb', '1']

interface InitOutput {resultsDir: string; file: string; created: boolean; sentinel: {schemaVersion: number; organization: string; createdAt: string; createdBy: {mlps: string}}; next: string[]; warnings: string[]}
interface RunOutput {status: string; exitCode: number; leaf: string; refused?: boolean; record: {statusReason?: string; findings: Array<{ruleId: string; severity: string; message: string}>}}
interface VerifyOutput {findings: Array<{ruleId: string; message: string; fix?: string}>; groups: Array<{path: string; findings: Array<{ruleId: string; message: string; fix?: string}>}>}

/** Every file and folder under `root` outside `.mlps/`, with each file's size and SHA-256: what "unchanged" means for the counted tree. */
function countedListing(root: string): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root, {recursive: true, encoding: 'utf8'}).filter(path => !path.split('/')[0].startsWith('.')).sort().map(path => {
    const full = join(root, path)
    const stat = statSync(full)
    return stat.isDirectory() ? `${path}/` : `${path} ${stat.size} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`
  })
}

function allFiles(root: string): string[] {
  return existsSync(root) ? readdirSync(root, {recursive: true, encoding: 'utf8'}).sort() : []
}

describe('mlps init and the names of a results tree (built CLI)', function () {
  it('init writes the sentinel, says what the tree needs next, and is idempotent for the same organization', async () => {
    const results = join(tempDir(), 'results')
    const env = withoutSiteNames()
    const first = await runCli(['init', 'Acme_Labs', '--results-dir', results], {env})
    assert.equal(first.exitCode, 0, first.stderr)
    assert.match(first.stdout, /started the results tree .* for organization "Acme_Labs"/)
    assert.match(first.stdout, /next:\n\s+1\. .*--system-name[\s\S]*systems\/<system>\.yaml[\s\S]*mlps verify/)
    const sentinelFile = join(results, '.mlps', 'tree.json')
    const written = readFileSync(sentinelFile, 'utf8')
    const sentinel = JSON.parse(written)
    assert.equal(sentinel.schemaVersion, 1)
    assert.equal(sentinel.organization, 'Acme_Labs')
    assert.ok(!Number.isNaN(Date.parse(sentinel.createdAt)))
    assert.match(sentinel.createdBy.mlps, /^\d+\.\d+\.\d+/)

    const again = await runCli(['init', 'Acme_Labs', '--results-dir', results, '--json'], {env})
    assert.equal(again.exitCode, 0, again.stderr)
    const output = parseJson<InitOutput>(again)
    assert.deepEqual({...output, next: output.next.length}, {resultsDir: results, file: sentinelFile, created: false, sentinel, next: 4, warnings: []})
    assert.equal(readFileSync(sentinelFile, 'utf8'), written, 'the second init writes nothing')

    // a site setting that later runs would refuse is said at init, not discovered at the first run
    const configured = await runCli(['init', 'Acme_Labs', '--results-dir', results], {env: {...env, MLPS_ORGANIZATION: 'globex'}})
    assert.equal(configured.exitCode, 0, configured.stderr)
    assert.match(configured.stderr, /warning: organization "globex" is set by env MLPS_ORGANIZATION: benchmark commands in this tree will stop \(exit 2\)/)
  })

  it('a second init with another organization is exit 2 naming the file, both names and the fix; the sentinel is kept', async () => {
    const results = join(tempDir(), 'results')
    assert.equal((await runCli(['init', 'acme', '--results-dir', results])).exitCode, 0)
    const before = readFileSync(join(results, '.mlps', 'tree.json'), 'utf8')
    const other = await runCli(['init', 'Acme', '--results-dir', results])
    assert.equal(other.exitCode, 2)
    assert.match(other.stderr, /\.mlps\/tree\.json: the results tree already belongs to organization "acme" .*not "Acme"/)
    assert.match(other.stderr, /fix: use another --results-dir for "Acme"/)
    const json = await runCli(['init', 'Acme', '--results-dir', results, '--json'])
    assert.equal(json.exitCode, 2)
    assert.match(parseJson<{error: {where: string}}>(json).error.where, /\.mlps\/tree\.json$/)
    assert.equal(readFileSync(join(results, '.mlps', 'tree.json'), 'utf8'), before)
  })

  it('names with characters the rules do not allow are exit 2, naming the flag or key and the character, and write nothing', async () => {
    const results = join(tempDir(), 'results')
    const init = await runCli(['init', 'acme labs', '--results-dir', results])
    assert.equal(init.exitCode, 2)
    assert.match(init.stderr, /<organization> argument: the organization "acme labs" holds " "[\s\S]*fix: use "acme-labs"/)
    const flag = await runCli([...DATASIZE, '--results-dir', results, '--system-name', 'rack/7'])
    assert.equal(flag.exitCode, 2)
    assert.match(flag.stderr, /systemName \(from flag --system-name\): "rack\/7" holds "\/"/)
    const env = await runCli([...DATASIZE, '--results-dir', results], {env: {...isolatedEnv(), MLPS_ORGANIZATION: 'ACME Inc.'}})
    assert.equal(env.exitCode, 2)
    assert.match(env.stderr, /organization \(from env MLPS_ORGANIZATION\): "ACME Inc\." holds " "/)
    assert.deepEqual(allFiles(results), [])
  })

  it('CLOSED without a system name is exit 2 before anything runs, and writes nothing', async () => {
    const results = join(tempDir(), 'results')
    const env = withoutSiteNames()
    assert.equal((await runCli(['init', 'acme', '--results-dir', results], {env})).exitCode, 0)
    const result = await runCli([...DATASIZE, '--results-dir', results, '--closed'], {env})
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /no system name: a CLOSED run must name the system under test[\s\S]*fix: pass --system-name <name>/)
    assert.deepEqual(allFiles(results), ['.mlps', '.mlps/tree.json'], 'no leaf and no refused record')
    const uninitialised = join(tempDir(), 'results')
    const bare = await runCli([...DATASIZE, '--results-dir', uninitialised, '--system-name', 'sut'], {env})
    assert.equal(bare.exitCode, 2)
    assert.match(bare.stderr, /never initialised[\s\S]*fix: run `mlps init <organization>/)
    assert.deepEqual(allFiles(uninitialised), [])
  })

  it('runs take the organization from the tree; a configured one that disagrees is exit 2', async () => {
    const results = join(tempDir(), 'results')
    const env = withoutSiteNames()
    assert.equal((await runCli(['init', 'acme', '--results-dir', results], {env})).exitCode, 0)
    const run = await runCli([...DATASIZE, '--results-dir', results, '--system-name', 'sut-1', '--json'], {env})
    assert.equal(run.exitCode, 0, run.stderr)
    assert.equal(relative(results, parseJson<RunOutput>(run).leaf).split('/').slice(0, 4).join('/'), 'closed/acme/results/sut-1')
    const before = countedListing(results)
    const other = await runCli([...DATASIZE, '--results-dir', results, '--system-name', 'sut-1'], {env: {...env, MLPS_ORGANIZATION: 'globex'}})
    assert.equal(other.exitCode, 2)
    assert.match(other.stderr, /env MLPS_ORGANIZATION: organization "globex" \(from env MLPS_ORGANIZATION\) disagrees with the results tree's "acme"/)
    assert.deepEqual(countedListing(results), before)
  })

  it('OPEN without names files the run under "local" and the host name, and says so in warnings', async () => {
    const results = join(tempDir(), 'results')
    const run = await runCli([...DATASIZE, '--results-dir', results, '--open', '--json'], {env: withoutSiteNames()})
    assert.equal(run.exitCode, 0, run.stderr)
    const output = parseJson<RunOutput>(run)
    const warned = output.record.findings.filter(f => f.severity === 'warn').map(f => f.ruleId)
    assert.ok(warned.includes('mlps.tree.organization') && warned.includes('mlps.tree.systemName'), warned.join(', '))
    assert.match(relative(results, output.leaf), /^open\/local\/results\/[A-Za-z0-9._-]+\/training\//)
  })

  it('a run refused by preflight leaves the counted tree byte-identical; its record is under .mlps/refused and history points there', async () => {
    const dir = tempDir()
    const results = join(dir, 'results')
    const env = isolatedEnv()
    assert.equal((await runCli(['init', 'mlps-test', '--results-dir', results], {env})).exitCode, 0)
    assert.equal((await runCli([...DATASIZE, '--results-dir', results], {env})).exitCode, 0)
    const before = countedListing(results)
    assert.ok(before.some(line => line.endsWith('metadata.json') || line.includes('metadata.json ')), 'the tree holds a counted run')

    // no dataset was generated: the native engine's preflight refuses the run
    const refused = await runCli(['training', 'run', '--model', 'unet3d', '-g', 'h100', '-n', '1', '--data-dir', join(dir, 'data'), '--results-dir', results, ...SMALL, '--json'], {env})
    assert.equal(refused.exitCode, 2, refused.stderr)
    const output = parseJson<RunOutput>(refused)
    assert.equal(output.refused, true)
    assert.match(output.record.statusReason ?? '', /^preflight: no dataset/)
    assert.deepEqual(countedListing(results), before)
    assert.ok(output.leaf.startsWith(join(results, '.mlps', 'refused') + '/'), output.leaf)
    assert.equal(RunRecordSchema.parse(JSON.parse(readFileSync(join(output.leaf, 'metadata.json'), 'utf8'))).status, 'FAILED')

    const history = parseJson<{entries: Array<{command: string; leaf?: string}>}>(await runCli(['history', 'list', '--json'], {env}))
    assert.equal(history.entries.at(-1)?.leaf, output.leaf)
    const verify = await runCli(['verify', results, '--json'], {env})
    assert.ok(!verify.stdout.includes('.mlps'), 'verify never counts a refused run')
    assert.ok(!verify.stdout.includes('training/unet3d/run'), verify.stdout.slice(0, 2000))
  })

  it('a leaf left RUNNING by a SIGKILL is named by verify with its start time and a fix', async () => {
    const dir = tempDir()
    const results = join(dir, 'results')
    const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', results, ...SMALL]
    assert.equal((await runCli(['training', 'datagen', ...common, '-n', '1'])).exitCode, 0)
    const child = startCli(['training', 'run', ...common, '-g', 'h100', '-n', '1', '--param', 'train.epochs=50', '--param', 'train.computation_time=0.5'])
    const runDir = join(results, 'closed', 'mlps-test', 'results', 'test-sut', 'training', 'unet3d', 'run')
    const recordOf = () => existsSync(runDir) ? readdirSync(runDir).map(name => join(runDir, name, 'metadata.json')).find(existsSync) : undefined
    for (let i = 0; i < 300 && !recordOf(); i++) await delay(100)
    const recordFile = recordOf()
    assert.ok(recordFile, 'the run leaf appeared')
    child.kill('SIGKILL')
    await child
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(recordFile, 'utf8')))
    assert.equal(record.status, 'RUNNING', 'a SIGKILL leaves no chance to finish the record')

    const verify = parseJson<VerifyOutput>(await runCli(['verify', results, '--json']))
    const all = [...verify.findings, ...verify.groups.flatMap(group => group.findings)]
    const named = all.find(f => f.ruleId === 'mlps.run.completed' && f.message.includes('RUNNING'))
    assert.ok(named, JSON.stringify(all.map(f => f.ruleId)))
    assert.ok(named.message.includes(new Date(record.timings.startedAt).toISOString()), named.message)
    assert.match(named.message, /SIGKILL|out of memory/)
    assert.match(named.fix ?? '', /remove the leaf and run it again/)
  })
})

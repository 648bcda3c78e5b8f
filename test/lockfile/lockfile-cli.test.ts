import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'

interface VerifyJson {same: boolean; differences: Array<{host: string; source: string; name: string; expected: string | null; actual: string | null}>}

describe('mlps lockfile generate / verify (built CLI)', function () {
  this.timeout(180_000)
  const dir = tempDir('mlps-lock-')
  const file = join(dir, 'mlps-lock.json')

  before(async () => {
    const result = await runCli(['lockfile', 'generate', '--output', file], {cwd: dir})
    assert.equal(result.exitCode, 0, result.stderr)
  })

  it('records mlps, its plugins, Node, the MPI and the DLIO Python\'s packages for this host', () => {
    const lock = JSON.parse(readFileSync(file, 'utf8'))
    assert.equal(lock.format, 'mlps-lock/1')
    const host = lock.hosts.localhost
    assert.equal(host['mlps.install'].node, process.version)
    assert.equal(host['mlps.plugins']['@mlps/plugin-engine-dlio'], '0.1.0')
    assert.equal(host['mlps.mpi'].implementation, 'Open MPI')
    assert.match(host['dlio.python'].python, /^3\.\d+\.\d+$/)
    assert.ok(Object.keys(host['dlio.python']).length > 1, 'the Python\'s installed packages are recorded')
  })

  it('verify passes right after generate', async () => {
    const result = await runCli(['lockfile', 'verify', '--lockfile', file, '--json'], {cwd: dir})
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(parseJson<VerifyJson>(result).differences, [])
  })

  it('verify fails (exit 3) and names every version that was changed', async () => {
    const lock = JSON.parse(readFileSync(file, 'utf8'))
    const changed = join(dir, 'changed.json')
    const [aPackage] = Object.keys(lock.hosts.localhost['dlio.python']).filter(name => name !== 'python')
    lock.hosts.localhost['dlio.python'][aPackage] = '0.0.0-recorded'
    lock.hosts.localhost['mlps.mpi'].version = '9.9.9'
    writeFileSync(changed, JSON.stringify(lock))
    const result = await runCli(['lockfile', 'verify', '--lockfile', changed], {cwd: dir})
    assert.equal(result.exitCode, 3)
    assert.match(result.stdout, /2 difference\(s\)/)
    assert.match(result.stdout, new RegExp(`localhost dlio\\.python ${aPackage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the lockfile has 0\\.0\\.0-recorded, the host has `))
    assert.match(result.stdout, /localhost mlps\.mpi version: the lockfile has 9\.9\.9, the host has 4\./)
  })

  it('a malformed lockfile is bad input naming the file', async () => {
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"format": "something-else"}')
    const result = await runCli(['lockfile', 'verify', '--lockfile', broken], {cwd: dir})
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /broken\.json is not an mlps lockfile: format/)
  })

  it('--verify-lockfile stops a benchmark before anything starts when a version differs', async () => {
    const lock = JSON.parse(readFileSync(file, 'utf8'))
    lock.hosts.localhost['mlps.install'].node = 'v20.0.0'
    const changed = join(dir, 'old-node.json')
    writeFileSync(changed, JSON.stringify(lock))
    const data = join(dir, 'data')
    const result = await runCli(['training', 'datagen', '--model', 'unet3d', '--data-dir', data, '--results-dir', join(dir, 'results'),
      '--param', 'dataset.num_files_train=1', '--verify-lockfile', changed, '--json'], {cwd: dir})
    assert.equal(result.exitCode, 3, result.stderr)
    const {record} = parseJson<{record: {status: string; findings: Array<{ruleId: string; message: string; fix?: string}>}}>(result)
    assert.equal(record.status, 'FAILED')
    const finding = record.findings.find(f => f.ruleId === 'mlps.lockfile')!
    assert.match(finding.message, /localhost mlps\.install node: the lockfile has v20\.0\.0, the host has v/)
    assert.match(finding.fix!, /mlps lockfile generate/)
    assert.ok(!existsSync(data) || readdirSync(data).length === 0, 'nothing was generated')
  })
})

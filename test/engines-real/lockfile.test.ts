import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {appendFileSync, cpSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {runCli, tempDir} from '../helpers/cli.js'
import {type RealEngines, requireEngines} from './engines.js'

type Lock = {hosts: Record<string, Record<string, Record<string, string>>>}

describe('real engines in the lockfile: what really ran, not DLIO\'s 3.0.0 alone (built CLI)', function () {
  this.timeout(180_000)
  let dir: string
  let script: string
  let lock: Lock
  let engines: RealEngines
  const configFor = (kvcacheScript: string) => {
    const file = join(dir, `config-${createHash('sha1').update(kvcacheScript).digest('hex').slice(0, 8)}.json`)
    writeFileSync(file, JSON.stringify({engines: {dlio: {bin: engines.dlioBin}, 'kvcache-py': {python: engines.python, script: kvcacheScript}}}))
    return file
  }

  before(async function () {
    engines = requireEngines(this)
    dir = tempDir('mlps-real-lock-')
    script = engines.kvcacheScript
    const result = await runCli(['lockfile', 'generate', '--config', configFor(script), '--output', join(dir, 'mlps-lock.json')], {cwd: dir})
    assert.equal(result.exitCode, 0, result.stderr)
    lock = JSON.parse(readFileSync(join(dir, 'mlps-lock.json'), 'utf8')) as Lock
  })

  it('records where DLIO was installed from (pip\'s direct_url.json: the git commit, or the source archive\'s name) and kv-cache.py\'s checksum', () => {
    const host = lock.hosts.localhost
    assert.equal(host['dlio.python']['dlio-benchmark'], '3.0.0')
    const commit = host['dlio.python']['dlio-benchmark commit']
    const source = host['dlio.python']['dlio-benchmark source']
    assert.ok(commit ? /^[0-9a-f]{40}$/.test(commit) : /^dlio_benchmark-[0-9a-f]{7,40}$/.test(source ?? ''), JSON.stringify(host['dlio.python']))
    assert.equal(host['kvcache-py.python']['kv-cache.py sha256'], createHash('sha256').update(readFileSync(script)).digest('hex'))
    assert.match(host['kvcache-py.python']['kv_cache_benchmark sha256'], /^[0-9a-f]{64}$/)
  })

  it('verify names a changed kv-cache.py and another DLIO source as differences (exit 3)', async () => {
    const copy = join(dir, 'kv_cache_benchmark')
    cpSync(dirname(script), copy, {recursive: true})
    appendFileSync(join(copy, 'kv-cache.py'), '\n# a local change\n')
    const recorded = structuredClone(lock)
    recorded.hosts.localhost['dlio.python']['dlio-benchmark source'] = 'dlio_benchmark-0000000'
    delete recorded.hosts.localhost['dlio.python']['dlio-benchmark commit']
    writeFileSync(join(dir, 'recorded.json'), JSON.stringify(recorded))
    const result = await runCli(['lockfile', 'verify', '--lockfile', join(dir, 'recorded.json'), '--config', configFor(join(copy, 'kv-cache.py'))], {cwd: dir})
    assert.equal(result.exitCode, 3, result.stdout + result.stderr)
    assert.match(result.stdout, /localhost kvcache-py\.python kv-cache\.py sha256: the lockfile has [0-9a-f]{64}, the host has [0-9a-f]{64}/)
    assert.match(result.stdout, /localhost kvcache-py\.python kv_cache_benchmark sha256: /)
    assert.match(result.stdout, /localhost dlio\.python dlio-benchmark (source|commit): the lockfile has /)
  })
})

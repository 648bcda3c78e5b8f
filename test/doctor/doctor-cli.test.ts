import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'

interface Row {check: string; host: string; status: string; detail: string; fix?: string; engine?: string}
interface DoctorJson {ready: boolean; exitCode: number; engines: Record<string, {ready: boolean}>; enginesInUse: Record<string, string>; checks: Row[]; os: {family: string}}

describe('mlps doctor (built CLI, this machine: no DLIO installed, Python without its modules)', function () {
  this.timeout(120_000)
  let json: DoctorJson
  let exitCode: number

  before(async () => {
    const result = await runCli(['doctor', '--json'], {cwd: tempDir()})
    exitCode = result.exitCode
    json = parseJson<DoctorJson>(result)
  })

  it('reports the native engine ready', () => {
    assert.equal(json.engines.native.ready, true)
    assert.equal(json.checks.find(r => r.check === 'native.ready')?.status, 'ok')
  })

  it('reports DLIO missing, with the install command for this OS', () => {
    assert.equal(json.engines.dlio.ready, false)
    const binary = json.checks.find(r => r.check === 'dlio.installed')!
    assert.equal(binary.status, 'fail')
    assert.match(binary.detail, /dlio_benchmark was not found/)
    // the commit the v3.0 round pins (issue 14: the hint installs what the round ran, into a venv)
    assert.match(binary.fix!, /python3 -m venv ~\/mlps-engines\/dlio && ~\/mlps-engines\/dlio\/bin\/python -m pip install 'dlio-benchmark @ git\+https:\/\/github.com\/mlcommons\/DLIO_local_changes.git@4be40e6b9077674513c0defd5283faf3cbae8445'/)
    if (json.os.family === 'debian') assert.match(binary.fix!, /^apt-get install -y openmpi-bin libopenmpi-dev && /)
    const python = json.checks.find(r => r.check === 'dlio.python')!
    assert.equal(python.status, 'fail')
    assert.match(python.detail, /cannot import dlio_benchmark/)
    assert.match(python.fix!, /python3 -m pip install .*hydra-core/)
  })

  it('exits 3 when an engine the config would use is not ready: kv-cache.py, the KV-cache default, is not installed here', () => {
    assert.equal(json.enginesInUse.kvcache, 'kvcache-py')
    assert.equal(json.engines['kvcache-py'].ready, false)
    assert.equal(json.ready, false)
    assert.equal(exitCode, 3)
  })

  it('a bare doctor exits 0 when every engine the config would use is ready, and still reports DLIO not ready', async () => {
    const dir = tempDir()
    const config = join(dir, 'mlps.yaml')
    writeFileSync(config, 'benchmarks:\n  kvcache:\n    engine: native\n')
    const human = await runCli(['doctor', '--config', config], {cwd: dir})
    const result = await runCli(['doctor', '--config', config, '--json'], {cwd: dir})
    const native = parseJson<DoctorJson>(result)
    assert.deepEqual(native.enginesInUse, {checkpointing: 'native', kvcache: 'native', training: 'native', vectordb: 'native'})
    assert.equal(native.engines.dlio.ready, false, 'DLIO is still missing')
    const blocking = native.checks.filter(r => r.status === 'fail' && (!r.engine || r.engine === 'native'))
    assert.deepEqual(blocking, [], 'nothing the native engine or the core needs failed')
    assert.equal(native.ready, true)
    assert.equal(result.exitCode, 0, result.stderr)
    assert.equal(human.exitCode, 0, human.stderr)
    assert.match(human.stdout, /^engine dlio: not ready \(dlio\.installed@localhost, dlio\.python@localhost\), used by no benchmark as configured$/m)
    assert.match(human.stdout, /^engine native: ready, used by checkpointing, kvcache, training, vectordb$/m)
    assert.match(human.stdout, /^READY: .* [1-9]\d* failure\(s\)/m)
  })

  it('checks only the engine asked for, and exits 0 when it is ready', async () => {
    const result = await runCli(['doctor', '--benchmark', 'training', '--model', 'unet3d', '--engine', 'native', '--json'], {cwd: tempDir()})
    const native = parseJson<DoctorJson>(result)
    assert.deepEqual(Object.keys(native.engines), ['native'])
    assert.ok(!native.checks.some(r => r.check.startsWith('dlio.')))
    assert.equal(result.exitCode, native.checks.some(r => r.status === 'fail') ? 3 : 0)
  })

  it('prints a table with the fix under the failing row', async () => {
    const result = await runCli(['doctor', '--engine', 'dlio'], {cwd: tempDir()})
    assert.equal(result.exitCode, 3)
    assert.match(result.stdout, /^CHECK\s+HOST\s+STATUS\s+DETAIL$/m)
    assert.match(result.stdout, /^dlio\.installed\s+localhost\s+FAIL\s+dlio_benchmark was not found.*\n\s+fix: .*pip install/m)
    assert.match(result.stdout, /engine dlio: not ready/)
  })

  it('names an unknown engine with the ones that exist', async () => {
    const result = await runCli(['doctor', '--engine', 'nope'], {env: isolatedEnv(), cwd: tempDir()})
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /--engine: no engine named "nope".*\n\s+fix: use one of: .*native/)
  })
})

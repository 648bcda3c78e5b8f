import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {loadConfig} from '../../src/config/load-config.js'
import {envVariableName} from '../../src/config/env-layer.js'
import {MlpsError} from '../../src/errors.js'
import {tempDir} from '../helpers/cli.js'

describe('config: cosmiconfig + zod with provenance', () => {
  it('resolves flag > environment > file > default and says where each value came from', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'mlps.config.yaml'), 'resultsDir: /from/file\norganization: acme\nsystemName: sut1\nssh:\n  port: 2222\n')
    const resolved = await loadConfig({
      cwd: dir,
      env: {MLPS_ORGANIZATION: 'env-org', MLPS_SSH__PORT: '2200'},
      flags: [{path: 'resultsDir', value: '/from/flag', flag: '--results-dir'}],
    })
    assert.equal(resolved.config.resultsDir, '/from/flag')
    assert.equal(resolved.config.organization, 'env-org')
    assert.equal(resolved.config.systemName, 'sut1')
    assert.equal(resolved.config.ssh.port, 2200)
    assert.equal(resolved.config.division, 'closed')
    assert.deepEqual(resolved.sources.get('resultsDir'), {kind: 'flag', flag: '--results-dir'})
    assert.deepEqual(resolved.sources.get('organization'), {kind: 'env', variable: 'MLPS_ORGANIZATION'})
    assert.deepEqual(resolved.sources.get('systemName'), {kind: 'file', file: join(dir, 'mlps.config.yaml')})
    assert.equal(resolved.sources.get('division'), undefined, 'defaults carry no recorded source')
    assert.equal(resolved.file, join(dir, 'mlps.config.yaml'))
  })

  it('replaces arrays instead of concatenating them', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.mlpsrc.json'), JSON.stringify({hosts: ['a', 'b', 'c']}))
    const resolved = await loadConfig({cwd: dir, env: {}, flags: [{path: 'hosts', value: ['x'], flag: '--hosts'}]})
    assert.deepEqual(resolved.config.hosts, ['x'])
  })

  it('finds package.json#mlps and walks up from a subfolder', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'package.json'), JSON.stringify({name: 'site', mlps: {organization: 'from-pkg'}}))
    mkdirSync(join(dir, 'runs', 'a'), {recursive: true})
    const resolved = await loadConfig({cwd: join(dir, 'runs', 'a'), env: {}})
    assert.equal(resolved.config.organization, 'from-pkg')
  })

  it('loads a TypeScript config file without the TypeScript compiler', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'mlps.config.ts'), "const organization: string = 'ts-org'\nexport default {organization, division: 'open' as const}\n")
    const resolved = await loadConfig({cwd: dir, env: {}})
    assert.equal(resolved.config.organization, 'ts-org')
    assert.equal(resolved.config.division, 'open')
  })

  it('rejects a bad file naming the file, the key, the problem and the fix', async () => {
    const dir = tempDir()
    const file = join(dir, 'mlps.config.json')
    writeFileSync(file, JSON.stringify({division: 'closedd', colector: 'ssh', ssh: {port: 'x'}}))
    await assert.rejects(loadConfig({cwd: dir, env: {}}), (error: unknown) => {
      assert.ok(error instanceof MlpsError)
      assert.equal(error.exitCode, 2)
      assert.match(error.message, /division \(from file .*mlps\.config\.json\): .*\n\s+fix: use one of "closed", "open"/)
      assert.match(error.message, /colector .*unknown key\n\s+fix: remove "colector"/)
      assert.match(error.message, /ssh\.port \(from file .*\): .*expected number/)
      return true
    })
  })

  it('blames the environment variable when that is where a bad value came from', async () => {
    await assert.rejects(loadConfig({cwd: tempDir(), env: {MLPS_COLLECTOR: 'carrier-pigeon'}}), /collector \(from env MLPS_COLLECTOR\)/)
    await assert.rejects(loadConfig({cwd: tempDir(), env: {MLPS_SSH__PORT: 'twenty'}}), /MLPS_SSH__PORT="twenty" is not a number/)
  })

  it('names environment variables after the key path', () => {
    assert.equal(envVariableName(['resultsDir']), 'MLPS_RESULTS_DIR')
    assert.equal(envVariableName(['ssh', 'strictHostKeyChecking']), 'MLPS_SSH__STRICT_HOST_KEY_CHECKING')
  })

  it('reports a syntax error with the file name', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'mlps.config.yaml'), 'hosts: [a, b\n')
    await assert.rejects(loadConfig({cwd: dir, env: {}}), (error: unknown) => {
      assert.ok(error instanceof MlpsError)
      assert.match(error.render(), /mlps\.config\.yaml: cannot parse the config/)
      return true
    })
  })
})

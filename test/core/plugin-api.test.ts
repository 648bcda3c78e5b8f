import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {repoRoot} from '../helpers/cli.js'

describe('the plugin API (mlps) is small and type-first', () => {
  it('mlps exports the contract\'s types and only these values: the base commands, MlpsError and what they take', async () => {
    const stable = await import('../../src/index.js')
    assert.deepEqual(Object.keys(stable).sort(), ['Args', 'BenchmarkCommand', 'ExitCode', 'Flags', 'LifecycleStage', 'MlpsCommand', 'MlpsError', 'definePlugin', 'z'])
  })

  it('the contract module is type-only: importing it loads no value', async () => {
    assert.deepEqual(Object.keys(await import('../../src/contract.js')), [])
  })

  it('internals first-party plugins share are behind mlps/unstable, which says so', async () => {
    const unstable = await import('../../src/unstable.js')
    assert.ok(Object.keys(unstable).length > 100)
    assert.match(readFileSync(join(repoRoot, 'src', 'unstable.ts'), 'utf8'), /UNSTABLE: any of\s+\* it may change in any release/)
    const exports = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {exports: Record<string, unknown>}).exports
    assert.deepEqual(Object.keys(exports), ['.', './unstable', './package.json'])
  })

  it('the example third-party plugin needs nothing but the stable API', () => {
    const dir = join(repoRoot, 'fixtures', 'plugins', 'mlps-plugin-example', 'src')
    const files = readdirSync(dir, {recursive: true, withFileTypes: true}).filter(entry => entry.isFile()).map(entry => join(entry.parentPath, entry.name))
    const reaching = files.filter(file => /from 'mlps\//.test(readFileSync(file, 'utf8')))
    assert.deepEqual(reaching, [])
  })
})

import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {repoRoot, runCli} from '../helpers/cli.js'

describe('start-up of the built CLI: the --version short cut and the bundles', () => {
  it('mlps --version, answered before oclif loads, says what oclif would say', async () => {
    const result = await runCli(['--version'])
    assert.equal(result.exitCode, 0)
    const config = await Config.load(repoRoot)
    assert.equal(result.stdout.trim(), config.userAgent)
  })

  it('every command and hook the CLI and its bundled plugins declare is a bundled file', async () => {
    const config = await Config.load(repoRoot)
    const bundled = config.getPluginsList().filter(plugin => plugin.root.startsWith(repoRoot) && String(plugin.pjson.oclif.commands).includes('/bundle/'))
    assert.ok(bundled.length >= 9, `bundled plugins: ${bundled.map(plugin => plugin.name).join(', ')}`)
    for (const plugin of bundled) {
      const manifest = JSON.parse(readFileSync(join(plugin.root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, {relativePath: string[]}>}
      for (const [id, command] of Object.entries(manifest.commands)) {
        const file = join(plugin.root, ...command.relativePath)
        assert.ok(file.includes('/bundle/') && existsSync(file), `${plugin.name} ${id}: ${file}`)
      }
    }
  })
})

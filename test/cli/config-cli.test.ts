import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseJson, runCli, tempDir, withoutSiteNames} from '../helpers/cli.js'

describe('mlps config (built CLI)', () => {
  it('config show --json prints valid JSON with the source of every value', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'mlps.config.yaml'), 'organization: acme\nhosts: [node01, node02]\n')
    const env = {...withoutSiteNames(), MLPS_SYSTEM_NAME: 'sut-7'}
    const result = await runCli(['config', 'show', '--json'], {cwd: dir, env})
    assert.equal(result.exitCode, 0, result.stderr)
    const shown = parseJson<{file: string; config: Record<string, unknown>; sources: Record<string, {kind: string; text: string}>}>(result)
    assert.equal(shown.file, join(dir, 'mlps.config.yaml'))
    assert.equal(shown.config.organization, 'acme')
    assert.equal(shown.sources.organization.text, `file ${join(dir, 'mlps.config.yaml')}`)
    assert.equal(shown.sources.systemName.text, 'env MLPS_SYSTEM_NAME')
    assert.equal(shown.sources.division.kind, 'default')
    assert.deepEqual(shown.config.hosts, ['node01', 'node02'])
  })

  it('a bad config file exits 2 naming the file and the key, with or without --json', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, '.mlpsrc.json'), JSON.stringify({launcher: {type: 'pbs'}}))
    const human = await runCli(['config', 'show'], {cwd: dir})
    assert.equal(human.exitCode, 2)
    assert.match(human.stderr, /launcher\.type \(from file .*\.mlpsrc\.json\)/)
    assert.match(human.stderr, /fix: use one of "auto", "local", "openmpi", "mpich", "srun"/)
    const json = await runCli(['config', 'show', '--json'], {cwd: dir})
    assert.equal(json.exitCode, 2, 'oclif would turn it into 1 under --json; MlpsCommand keeps it')
    assert.match(parseJson<{error: {message: string}}>(json).error.message, /launcher\.type/)
  })

  it('config schema prints a JSON Schema and config init writes a starter that validates', async () => {
    const dir = tempDir()
    const schema = parseJson<{properties: Record<string, unknown>; additionalProperties: boolean}>(await runCli(['config', 'schema', '--json'], {cwd: dir}))
    assert.ok('resultsDir' in schema.properties && 'hosts' in schema.properties)
    assert.equal(schema.additionalProperties, false)
    const init = await runCli(['config', 'init'], {cwd: dir})
    assert.equal(init.exitCode, 0, init.stderr)
    assert.match(readFileSync(join(dir, 'mlps.config.yaml'), 'utf8'), /^# yaml-language-server: \$schema=\.\/mlps\.schema\.json/)
    // the starter names the system; the organization is the tree's (mlps init), so the starter leaves it out
    const shown = parseJson<{config: {organization?: string; systemName: string}}>(await runCli(['config', 'show', '--json'], {cwd: dir, env: withoutSiteNames()}))
    assert.equal(shown.config.systemName, 'my-storage-system')
    assert.equal(shown.config.organization, undefined)
    const again = await runCli(['config', 'init'], {cwd: dir})
    assert.equal(again.exitCode, 2)
    assert.match(again.stderr, /already exists[\s\S]*--force/)
  })
})

import assert from 'node:assert/strict'
import {join} from 'node:path'
import {loadConfig} from '../../src/config/load-config.js'
import {MlpsError} from '../../src/errors.js'
import {initTree} from '../../src/results/init-tree.js'
import {resolveTreeIdentity, treeNames} from '../../src/results/tree-identity.js'
import {tempDir} from '../helpers/cli.js'

async function identity(env: NodeJS.ProcessEnv, host = 'node-01') {
  const cwd = tempDir()
  const resolved = await loadConfig({cwd, env})
  return resolveTreeIdentity(resolved, host)
}

const badInput = (pattern: RegExp) => (error: unknown) => error instanceof MlpsError && error.exitCode === 2 && pattern.test(error.render())

describe('the tree identity of a run', () => {
  it('takes the organization from the tree sentinel and the system name from the config', async () => {
    const resultsDir = join(tempDir(), 'r')
    await initTree(resultsDir, 'acme', '1')
    const found = await identity({MLPS_RESULTS_DIR: resultsDir, MLPS_SYSTEM_NAME: 'sut-1'})
    assert.deepEqual(found, {organization: 'acme', systemName: 'sut-1', findings: []})
  })

  it('refuses a configured organization that disagrees with the sentinel, naming both and the variable', async () => {
    const resultsDir = join(tempDir(), 'r')
    await initTree(resultsDir, 'acme', '1')
    await assert.rejects(identity({MLPS_RESULTS_DIR: resultsDir, MLPS_SYSTEM_NAME: 's', MLPS_ORGANIZATION: 'other'}),
      badInput(/^env MLPS_ORGANIZATION: organization "other" .*disagrees with the results tree's "acme" \(.*\.mlps\/tree\.json\)/))
  })

  it('uses a configured organization as given in a tree never initialised', async () => {
    const found = await identity({MLPS_RESULTS_DIR: join(tempDir(), 'r'), MLPS_ORGANIZATION: 'acme', MLPS_SYSTEM_NAME: 's'})
    assert.equal(found.organization, 'acme')
    assert.deepEqual(found.findings, [])
  })

  it('in CLOSED, reports a missing organization and a missing system name together as exit 2', async () => {
    await assert.rejects(identity({MLPS_RESULTS_DIR: join(tempDir(), 'r')}),
      badInput(/2 problems[\s\S]*never initialised[\s\S]*mlps init <organization>[\s\S]*no system name[\s\S]*--system-name/))
  })

  it('in OPEN, files the run under "local" and the host name, each with a warning naming it', async () => {
    const found = await identity({MLPS_RESULTS_DIR: join(tempDir(), 'r'), MLPS_DIVISION: 'open'}, 'vm.example.com')
    assert.equal(found.organization, 'local')
    assert.equal(found.systemName, 'vm.example.com')
    assert.deepEqual(found.findings.map(f => [f.ruleId, f.severity]), [['mlps.tree.organization', 'warn'], ['mlps.tree.systemName', 'warn']])
    assert.match(found.findings[1].message, /"vm\.example\.com"/)
  })

  it('in OPEN, a host name outside the rules\' characters becomes a portable one, still named', async () => {
    const found = await identity({MLPS_RESULTS_DIR: join(tempDir(), 'r'), MLPS_DIVISION: 'open', MLPS_ORGANIZATION: 'acme'}, 'my host')
    assert.equal(found.systemName, 'my-host')
    assert.match(found.findings[0].message, /"my-host"/)
  })

  it('names bad characters in a configured name with their source before anything runs', async () => {
    await assert.rejects(identity({MLPS_SYSTEM_NAME: 'sut/1'}), badInput(/systemName \(from env MLPS_SYSTEM_NAME\): "sut\/1" holds "\/"[\s\S]*fix: use "sut-1"/))
    await assert.rejects(identity({MLPS_ORGANIZATION: 'acme labs', MLPS_SYSTEM_NAME: 's'}), badInput(/organization \(from env MLPS_ORGANIZATION\): "acme labs" holds " "/))
  })

  it('a context without resolved names is refused instead of filed under made-up ones', () => {
    assert.throws(() => treeNames({organization: 'acme'} as Parameters<typeof treeNames>[0]), badInput(/no system name/))
  })
})

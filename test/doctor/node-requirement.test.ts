import assert from 'node:assert/strict'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import zlib from 'node:zlib'
import semver from 'semver'
import type {CheckContext} from '../../src/doctor/check.js'
import {mlpsInstallCheck} from '../../src/doctor/checks/mlps-install.js'
import {localShell} from '../../src/doctor/host-shell.js'
import {nodeRequirement, nodeVersionProblem} from '../../src/doctor/node-requirement.js'
import {repoRoot, tempDir} from '../helpers/cli.js'

const enginesNode = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {engines: {node: string}}).engines.node
const floor = semver.minVersion(enginesNode)!

/** The check as `mlps doctor` runs it for `host`, with `mlps --version` answered by `versionLine` on the "other" host. */
function checkAgainst(versionLine: string | undefined) {
  const dir = tempDir('mlps-node-floor-')
  const bin = join(dir, 'run.js')
  // stand-in for another host's mlps install: a host with an old Node.js cannot exist on this machine, so its `--version` line is printed
  writeFileSync(bin, `echo '${versionLine}'\n`)
  chmodSync(bin, 0o755)
  const ctx = {
    mode: 'doctor', engines: [], hosts: [], signal: new AbortController().signal,
    mlps: {version: '0.1.0', plugins: {}, node: '/bin/sh', bin},
    isLocal: (host: string) => host === 'localhost',
    shell: (host: string) => localShell(host),
  } as unknown as CheckContext
  return (host: string) => mlpsInstallCheck.run(ctx, host)
}

describe('the Node.js version mlps needs', () => {
  it('is package.json engines.node, at least 20.15 (zlib.crc32, which the tests use)', () => {
    assert.equal(nodeRequirement(), enginesNode)
    assert.ok(semver.gte(floor, '20.15.0'), `engines.node ${enginesNode} allows a Node.js without zlib.crc32`)
    assert.equal(typeof zlib.crc32, 'function')
  })

  it('holds a version to that range: the floor passes, the release before it fails with the range and the fix', () => {
    assert.equal(nodeVersionProblem(`v${floor.version}`), undefined)
    assert.equal(nodeVersionProblem(process.version), undefined)
    const before = floor.patch > 0 ? `v${floor.major}.${floor.minor}.${floor.patch - 1}` : `v${floor.major}.${floor.minor - 1}.0`
    assert.deepEqual(nodeVersionProblem(before), {
      detail: `Node.js ${before} does not satisfy mlps's engines.node ${enginesNode}`,
      fix: `install Node.js ${floor.version} or newer (https://nodejs.org, or nvm install ${floor.major})`,
    })
    assert.match(nodeVersionProblem('v18.20.4')?.detail ?? '', /v18\.20\.4 does not satisfy/)
  })

  it('takes the range it is given, not a number of its own', () => {
    assert.deepEqual(nodeVersionProblem('v20.20.2', '>=22.3.0'), {
      detail: "Node.js v20.20.2 does not satisfy mlps's engines.node >=22.3.0",
      fix: 'install Node.js 22.3.0 or newer (https://nodejs.org, or nvm install 22)',
    })
    assert.equal(nodeVersionProblem('v22.3.0', '^20.15.0 || >=22.3.0'), undefined)
    assert.equal(nodeVersionProblem('v24.0.0-nightly20250101', '>=22.3.0'), undefined)
    assert.match(nodeVersionProblem('twenty', '>=22.3.0')?.detail ?? '', /cannot read the Node\.js version "twenty"/)
  })

  it('fails the doctor\'s install check for a host whose Node.js is below the floor, and passes this one', async () => {
    const before = `v${floor.major}.${floor.minor - 1}.9`
    const old = await checkAgainst(`mlps/0.1.0 linux-x64 node-${before}`)('node07')
    assert.equal(old.status, 'fail')
    assert.equal(old.detail, `Node.js ${before} does not satisfy mlps's engines.node ${enginesNode}`)
    assert.match(old.fix ?? '', new RegExp(`install Node\\.js ${floor.version.replace(/\./g, '\\.')} or newer`))
    assert.deepEqual(old.versions, {mlps: '0.1.0', node: before})

    const here = await checkAgainst(undefined)('localhost')
    assert.equal(here.status, 'ok')
    assert.equal(here.detail, `mlps 0.1.0 on Node.js ${process.version}`)
  })
})

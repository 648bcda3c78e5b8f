import assert from 'node:assert/strict'
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {SSHD, SshLab} from '../cluster/ssh-lab.js'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'

interface Finding {ruleId: string; severity: string; message: string; fix?: string; kind?: string}
interface RunJson {exitCode: number; record: {status: string; statusReason?: string; commands: unknown[]; findings: Finding[]; timings: {phases: Record<string, number>}}}

function mount(args: string[]): boolean {
  try {
    execFileSync('mount', args, {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

/**
 * An sshd for `address` in its own mount namespace, where `hidden` is covered by an empty tmpfs: logged in
 * there, the host does not see what this host writes into `hidden`, like a node whose results dir is local.
 */
async function startSshdWithPrivateDir(lab: SshLab, address: string, hidden: string): Promise<ChildProcess> {
  const config = join(lab.dir, `sshd_ns_${address}.conf`)
  const authorized = join(lab.dir, `authorized_ns_${address}`)
  writeFileSync(authorized, `${lab.publicKey(lab.userKey)}\n`)
  writeFileSync(config, [
    `ListenAddress ${address}:${lab.port}`, `HostKey ${lab.hostKey(address)}`, `PidFile ${join(lab.dir, `sshd_ns_${address}.pid`)}`,
    `AuthorizedKeysFile ${authorized}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', 'LogLevel ERROR', '',
  ].join('\n'))
  const server = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$1" && exec "$2" -D -e -f "$3"', 'sh', hidden, SSHD, config], {stdio: 'ignore'})
  for (let attempt = 0; attempt < 200; attempt++) {
    if (server.exitCode !== null) throw new Error(`the namespaced sshd on ${address} exited ${server.exitCode}`)
    try {
      execFileSync('ssh-keyscan', ['-T', '1', '-p', String(lab.port), address], {stdio: 'ignore'})
      return server
    } catch {
      await delay(25)
    }
  }
  throw new Error(`the namespaced sshd on ${address} did not start`)
}

describe('preflight: every environment problem in one report, before any engine starts (real sshd, tmpfs; root)', function () {
  this.timeout(180_000)
  let lab: SshLab
  let namespaced: ChildProcess | undefined
  const dir = tempDir('mlps-preflight-')
  const small = join(dir, 'small')
  const results = join(dir, 'results')
  let json: RunJson

  before(async function () {
    mkdirSync(small)
    mkdirSync(results)
    if (!mount(['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small])) this.skip()
    lab = await SshLab.create(2)
    namespaced = await startSshdWithPrivateDir(lab, '127.0.0.2', results)
    // 127.0.0.3 had an sshd, which is stopped: the host refuses connections
    const stopped = await lab.startSshd('127.0.0.3')
    stopped.kill('SIGTERM')
    await new Promise(resolve => stopped.once('exit', resolve))
    const config = join(dir, 'mlps.config.json')
    writeFileSync(config, JSON.stringify({
      ssh: {port: lab.port, user: 'root', identityFile: lab.userKey, knownHostsFile: lab.knownHostsFile, strictHostKeyChecking: 'accept-new', connectTimeoutSeconds: 5},
      engines: {dlio: {python: 'python3'}},
    }))
    const result = await runCli([
      'training', 'datagen', '--model', 'unet3d', '--engine', 'dlio', '--data-dir', join(small, 'data'), '--results-dir', results,
      '--hosts', 'localhost,127.0.0.2,127.0.0.3', '--collector', 'ssh', '--num-accelerators', '3', '--param', 'dataset.num_files_train=4',
      '--config', config, '--json',
    ], {cwd: dir})
    json = parseJson<RunJson>(result)
  })

  after(async () => {
    namespaced?.kill('SIGTERM')
    await lab?.stop()
    try {
      execFileSync('umount', [small], {stdio: 'ignore'})
    } catch {}
  })

  const mine = (ruleId: string, host: string) => json.record.findings.find(f => f.ruleId === ruleId && f.message.startsWith(`${host}: `))

  it('stops with exit 3 and starts nothing', () => {
    assert.equal(json.exitCode, 3)
    assert.equal(json.record.status, 'FAILED')
    assert.match(json.record.statusReason!, /^preflight: /)
    assert.deepEqual(json.record.commands, [])
    assert.equal(json.record.timings.phases.run, undefined)
    assert.ok(!existsSync(join(small, 'data')) || readdirSync(join(small, 'data')).length === 0)
  })

  it('a missing binary, with the pip install command', () => {
    const finding = mine('dlio.installed', 'localhost')!
    assert.equal(finding.severity, 'error')
    assert.equal(finding.kind, 'environment')
    assert.match(finding.message, /dlio_benchmark was not found/)
    assert.match(finding.fix!, /pip install 'dlio-benchmark @ git\+/)
  })

  it('a missing Python module, read with the engine\'s Python, with the pip install command', () => {
    const finding = mine('dlio.python', 'localhost')!
    assert.equal(finding.severity, 'error')
    assert.match(finding.message, /^localhost: python3 \(Python 3[\d.]+, .*\) cannot import dlio_benchmark, mpi4py, hydra, omegaconf, torch/)
    assert.match(finding.fix!, /python3 -m pip install .*mpi4py hydra-core omegaconf torch/)
  })

  it('an unreachable SSH host (its sshd stopped), with the fix', () => {
    const finding = mine('ssh.reachable', '127.0.0.3')!
    assert.equal(finding.severity, 'error')
    assert.match(finding.message, /could not reach 127\.0\.0\.3 \(refused\)/)
    assert.match(finding.fix!, /start sshd/)
    assert.equal(mine('ssh.reachable', '127.0.0.2'), undefined, 'the reachable host is not reported')
  })

  it('too little free space for the planned dataset, with the fix', () => {
    const finding = mine('mlps.freeSpace', 'localhost')!
    assert.equal(finding.severity, 'error')
    assert.match(finding.message, /the dataset \(4 files\) needs about .* free/)
    assert.match(finding.fix!, /--data-dir/)
  })

  it('a results dir another host does not share, with the fix', () => {
    const finding = mine('mlps.resultsDir.shared', '127.0.0.2')!
    assert.equal(finding.severity, 'error')
    assert.match(finding.message, /127\.0\.0\.2 does not see it/)
    assert.match(finding.fix!, /every host mounts at the same path/)
    assert.equal(mine('mlps.resultsDir.shared', 'localhost'), undefined)
  })
})

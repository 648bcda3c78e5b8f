import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {cpus, hostname, release} from 'node:os'
import {join} from 'node:path'
import {MlpsConfigSchema} from '../../src/config/schema.js'
import type {ClusterSnapshot} from '../../src/cluster/host-facts.js'
import {gatherLocal} from '../../src/cluster/gather-local.js'
import {hostFactsFromRaw} from '../../src/cluster/host-facts-from-raw.js'
import {parseKnownHosts, verifyHostKey} from '../../plugins/collector-ssh/src/known-hosts.js'
import {closeIdleConnections} from '../../plugins/collector-ssh/src/ssh-pool.js'
import {startSshSampler} from '../../plugins/collector-ssh/src/ssh-sampler.js'
import {sshSnapshot} from '../../plugins/collector-ssh/src/ssh-snapshot.js'
import {isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'
import {SshLab} from './ssh-lab.js'

const GOOD = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']
const WRONG_USER_KEY = '127.0.0.6'
const CHANGED_HOST_KEY = '127.0.0.7'
const STOPPED = '127.0.0.8'
const BLACK_HOLE = '127.0.0.9'

describe('ssh collector against real OpenSSH servers on loopback', function () {
  let lab: SshLab
  before(async () => {
    lab = await SshLab.create()
    await Promise.all(GOOD.map(address => lab.startSshd(address)))
    await lab.startSshd(WRONG_USER_KEY, {authorizedKeys: lab.publicKey(lab.otherUserKey)})
    // known_hosts records one key for this host; its sshd serves another (a reinstalled host, or an attacker)
    await lab.startSshd(CHANGED_HOST_KEY, {hostKey: lab.hostKey('127.0.0.99')})
    await lab.startBlackHole(BLACK_HOLE)
    writeFileSync(lab.knownHostsFile, lab.knownHostsLines([
      ...GOOD.map((address, i) => ({address, hostKey: lab.hostKey(address), hashed: i % 2 === 0})),
      {address: WRONG_USER_KEY, hostKey: lab.hostKey(WRONG_USER_KEY)},
      {address: CHANGED_HOST_KEY, hostKey: lab.hostKey(CHANGED_HOST_KEY), hashed: true},
    ]))
  })
  after(async () => {
    await closeIdleConnections()
    await lab?.stop()
  })

  const config = (ssh: Record<string, unknown> = {}) => MlpsConfigSchema.parse({
    ssh: {port: lab.port, identityFile: lab.userKey, knownHostsFile: lab.knownHostsFile, connectTimeoutSeconds: 2, ...ssh},
  })
  const hosts = (names: string[]) => names.map(name => ({name}))

  it('collects 4 hosts, one connection each, whose facts match this machine\'s /proc', async () => {
    const snapshot = await sshSnapshot({hosts: hosts(GOOD), config: config()})
    assert.deepEqual(snapshot.missing, [])
    assert.deepEqual(snapshot.hosts.map(h => h.host), GOOD)
    const local = hostFactsFromRaw(gatherLocal('snapshot'), {host: 'local', collector: 'test', clock: {offsetMs: 0, uncertaintyMs: 0}})
    const memTotalKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1])
    for (const facts of snapshot.hosts) {
      assert.equal(facts.collector, 'ssh')
      assert.equal(facts.hostname, hostname())
      assert.equal(facts.stable.memory.totalBytes, memTotalKb * 1024)
      assert.equal(facts.stable.cpu.threads, cpus().length)
      assert.equal(facts.stable.kernel.release, release())
      assert.equal(facts.fingerprint, local.fingerprint, 'the same machine read over SSH and in-process')
      assert.deepEqual(facts.errors, {})
      // one clock: the offset must be zero within the measurement's own bound
      assert.ok(Math.abs(facts.clock.offsetMs) <= facts.clock.uncertaintyMs + 5, JSON.stringify(facts.clock))
    }
  })

  it('a stopped host, a wrong user key, a changed host key and a silent host each fail with their own reason while the others answer', async () => {
    const names = [GOOD[0], STOPPED, WRONG_USER_KEY, GOOD[1], CHANGED_HOST_KEY, BLACK_HOLE, 'localhost']
    const snapshot: ClusterSnapshot = await sshSnapshot({hosts: hosts(names), config: config()})
    assert.deepEqual(snapshot.hosts.map(h => h.host), [GOOD[0], GOOD[1], 'localhost'])
    assert.deepEqual(Object.fromEntries(snapshot.missing.map(m => [m.host, m.reason])), {
      [STOPPED]: 'refused', [WRONG_USER_KEY]: 'auth', [CHANGED_HOST_KEY]: 'host-key-mismatch', [BLACK_HOLE]: 'timeout',
    })
    assert.equal(snapshot.hosts.find(h => h.host === 'localhost')!.clock.uncertaintyMs, 0, 'localhost is read in-process, not over SSH')
  })

  it('an unknown host is refused under strictHostKeyChecking yes, and accepted and recorded under accept-new', async () => {
    const file = join(tempDir(), 'known_hosts')
    writeFileSync(file, '')
    const strict = await sshSnapshot({hosts: hosts([GOOD[2]]), config: config({knownHostsFile: file})})
    assert.equal(strict.missing[0]?.reason, 'host-key-unknown')
    const acceptNew = await sshSnapshot({hosts: hosts([GOOD[2]]), config: config({knownHostsFile: file, strictHostKeyChecking: 'accept-new'})})
    assert.deepEqual(acceptNew.missing, [])
    const entries = parseKnownHosts(readFileSync(file, 'utf8'))
    const hostKey = Buffer.from(lab.publicKey(lab.hostKey(GOOD[2])).split(' ')[1], 'base64')
    assert.equal(verifyHostKey(entries, GOOD[2], lab.port, hostKey), 'match')
    const again = await sshSnapshot({hosts: hosts([GOOD[2]]), config: config({knownHostsFile: file})})
    assert.deepEqual(again.missing, [], 'strict checking now knows it')
  })

  it('keeps one connection per host across snapshots, and replaces one that died between them', async () => {
    const host = GOOD[3]
    const sshd = lab.pids()[GOOD.indexOf(host)]
    // the listening sshd forks one process per connection it serves
    const served = () => readFileSync(`/proc/${sshd}/task/${sshd}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
    const first = await sshSnapshot({hosts: hosts([host]), config: config()})
    assert.deepEqual(first.missing, [])
    const connection = served()
    assert.equal(connection.length, 1, 'the connection stays open after the snapshot')
    const second = await sshSnapshot({hosts: hosts([host]), config: config()})
    assert.deepEqual(second.missing, [])
    assert.deepEqual(served(), connection, 'the second snapshot rode the same connection')
    process.kill(Number(connection[0]), 'SIGKILL')
    const third = await sshSnapshot({hosts: hosts([host]), config: config()})
    assert.deepEqual(third.missing, [], 'a dead pooled connection is replaced, not reported')
    assert.equal(served().length, 1)
    assert.notDeepEqual(served(), connection)
  })

  it('samples every host over one long-lived session each, with the sampler\'s CPU cost', async () => {
    const interval = 0.4
    const started = performance.now()
    const sampler = await startSshSampler({hosts: hosts([GOOD[0], GOOD[1], STOPPED]), config: config(), intervalSeconds: interval})
    // long enough for several samples even when a loaded machine slows the sessions' start
    await new Promise(resolve => setTimeout(resolve, 3000))
    const series = await sampler.stop()
    const mostPossible = Math.floor((performance.now() - started) / 1000 / interval) + 1
    for (const host of [GOOD[0], GOOD[1]]) {
      const samples = series.samplesByHost[host]
      assert.ok(samples.length >= 2 && samples.length <= mostPossible, `${host}: ${samples.length} samples, at most ${mostPossible} possible`)
      assert.ok(samples.every(s => s.volatile.cpuTimes !== null && s.volatile.disks !== undefined))
      assert.ok(Date.parse(samples.at(-1)!.time) > Date.parse(samples[0].time))
    }
    assert.deepEqual(series.missing.map(m => [m.host, m.reason]), [[STOPPED, 'refused']])
    assert.ok(series.cost.hostCpuMsPerSample !== null && series.cost.hostCpuMsPerSample > 0)
  })

  it('`mlps cluster info --collector ssh --json` reports hosts and missing hosts, exit 3 when one is missing', async () => {
    const dir = tempDir()
    const configFile = join(dir, 'mlps.config.json')
    writeFileSync(configFile, JSON.stringify({ssh: {port: lab.port, identityFile: lab.userKey, knownHostsFile: lab.knownHostsFile, connectTimeoutSeconds: 2}}))
    const result = await runCli(['cluster', 'info', '--hosts', `${GOOD[0]},${GOOD[3]},${STOPPED}`, '--collector', 'ssh', '--config', configFile, '--probe-dir', dir, '--json'], {env: isolatedEnv()})
    assert.equal(result.exitCode, 3, result.stderr)
    const info = parseJson<{summary: {numHosts: number; totalMemoryBytes: number; missingHosts: string[]}; snapshot: ClusterSnapshot}>(result)
    assert.equal(info.summary.numHosts, 1, 'two addresses of one machine are one host for the totals')
    assert.deepEqual(info.summary.missingHosts, [STOPPED])
    assert.deepEqual(info.snapshot.probe, {path: info.snapshot.probe!.path, visibleOn: [GOOD[0], GOOD[3]], notVisibleOn: []})
  })
})

describe('known_hosts', () => {
  it('matches plain, [host]:port, comma-list and ssh-keygen -H hashed entries, and tells a changed key from an unknown host', () => {
    const dir = tempDir()
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k1')])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k2')])
    const [type, key1] = readFileSync(join(dir, 'k1.pub'), 'utf8').split(' ')
    const key2 = readFileSync(join(dir, 'k2.pub'), 'utf8').split(' ')[1]
    const file = join(dir, 'known_hosts')
    writeFileSync(file, `alpha,beta ${type} ${key1}\n[gamma]:2222 ${type} ${key1}\ndelta ${type} ${key1}\n@revoked epsilon ${type} ${key2}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', file], {stdio: 'ignore'})
    writeFileSync(file, readFileSync(file, 'utf8') + `# comment\nepsilon ${type} ${key2}\n`)
    const entries = parseKnownHosts(readFileSync(file, 'utf8'))
    const k1 = Buffer.from(key1, 'base64')
    const k2 = Buffer.from(key2, 'base64')
    assert.ok(entries.some(e => e.patterns[0].startsWith('|1|')), 'ssh-keygen -H hashed the entries')
    assert.equal(verifyHostKey(entries, 'beta', 22, k1), 'match')
    assert.equal(verifyHostKey(entries, 'gamma', 2222, k1), 'match')
    assert.equal(verifyHostKey(entries, 'gamma', 22, k1), 'unknown', 'the port is part of the name')
    assert.equal(verifyHostKey(entries, 'delta', 22, k2), 'mismatch')
    assert.equal(verifyHostKey(entries, 'epsilon', 22, k2), 'revoked')
    assert.equal(verifyHostKey(entries, 'zeta', 22, k1), 'unknown')
  })
})

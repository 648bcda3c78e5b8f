import assert from 'node:assert/strict'
import {clusterFindings, summarizeCluster} from '../../src/cluster/cluster-checks.js'
import {computeDeltas} from '../../src/cluster/deltas.js'
import {gatherLocal} from '../../src/cluster/gather-local.js'
import type {ClusterSnapshot, HostFacts} from '../../src/cluster/host-facts.js'
import {fingerprintOf, hostFactsFromRaw} from '../../src/cluster/host-facts-from-raw.js'
import {parseCgroupLimits, parseCpuinfo} from '../../src/cluster/parse-proc.js'

/** This host's real facts, renamed and resized to play other hosts. */
function host(name: string, change: {memoryGiB?: number; cores?: number; offsetMs?: number; uncertaintyMs?: number; hostname?: string} = {}): HostFacts {
  const facts = hostFactsFromRaw(gatherLocal('snapshot'), {host: name, collector: 'test', clock: {offsetMs: change.offsetMs ?? 0, uncertaintyMs: change.uncertaintyMs ?? 0}})
  facts.hostname = change.hostname ?? name
  if (change.memoryGiB !== undefined) facts.stable.memory.totalBytes = change.memoryGiB * 2 ** 30
  if (change.cores !== undefined) facts.stable.cpu.cores = change.cores
  facts.fingerprint = fingerprintOf(facts.stable)
  return facts
}

function snapshot(hosts: HostFacts[], missing: ClusterSnapshot['missing'] = []): ClusterSnapshot {
  return {collector: 'test', requestedHosts: [...hosts.map(h => h.host), ...missing.map(m => m.host)], hosts, missing, startedAt: new Date().toISOString(), durationMs: 1}
}

describe('cluster checks', () => {
  it('total memory is the sum of each host\'s own memory, never host 0 × count, and one machine under two names counts once', () => {
    const summary = summarizeCluster(snapshot([host('a', {memoryGiB: 512}), host('b', {memoryGiB: 256}), host('a-alias', {memoryGiB: 512, hostname: 'a'})]))
    assert.equal(summary.numHosts, 2)
    assert.equal(summary.totalMemoryBytes, 768 * 2 ** 30)
    assert.deepEqual([summary.minMemoryBytes, summary.maxMemoryBytes], [256 * 2 ** 30, 512 * 2 ** 30])
  })

  it('warns when memory or cores differ by more than 1.5×, and not at 1.5× exactly', () => {
    const ids = (s: ClusterSnapshot) => clusterFindings(s).map(f => f.ruleId)
    assert.ok(!ids(snapshot([host('a', {memoryGiB: 300, cores: 16}), host('b', {memoryGiB: 200, cores: 24})])).some(id => id.startsWith('cluster.heterogeneous')))
    const findings = clusterFindings(snapshot([host('a', {memoryGiB: 310, cores: 16}), host('b', {memoryGiB: 200, cores: 25})]))
    assert.ok(findings.some(f => f.ruleId === 'cluster.heterogeneous.memory' && f.severity === 'warn' && /1\.55×/.test(f.message)))
    assert.ok(findings.some(f => f.ruleId === 'cluster.heterogeneous.physicalcores'))
    assert.ok(findings.some(f => f.ruleId === 'cluster.fingerprint.differs'), 'different memory → different fingerprints')
  })

  it('identical hosts have identical fingerprints', () => {
    const [a, b] = [host('a'), host('b')]
    assert.equal(a.fingerprint, b.fingerprint)
    assert.ok(!clusterFindings(snapshot([a, b])).some(f => f.ruleId === 'cluster.fingerprint.differs'))
  })

  it('flags clock skew over 1 s only when the measurement is sure of it, and says when it cannot tell', () => {
    const findings = clusterFindings(snapshot([host('a'), host('b', {offsetMs: 1500, uncertaintyMs: 100}), host('c', {offsetMs: 1500, uncertaintyMs: 600}), host('d', {offsetMs: 0, uncertaintyMs: 1500})]))
    const skew = findings.filter(f => f.ruleId === 'cluster.clock.skew')
    assert.equal(skew.length, 2)
    assert.match(skew[0].message, /on b \(1\.50 s\)$/)
    assert.ok(skew[1].notEvaluable && /d could not be measured/.test(skew[1].message))
  })

  it('reports missing hosts with their reason and fix, and the shared-filesystem probe as not evaluable when it did not run', () => {
    const findings = clusterFindings(snapshot([host('a')], [{host: 'b', reason: 'auth', message: 'authentication failed'}]))
    const missing = findings.find(f => f.ruleId === 'cluster.host.missing')!
    assert.match(missing.message, /no facts from b \(auth\)/)
    assert.match(missing.fix!, /authorized_keys/)
    assert.ok(findings.find(f => f.ruleId === 'cluster.resultsDir.shared')?.notEvaluable)
    const probed = {...snapshot([host('a'), host('b')]), probe: {path: '/r/.p', visibleOn: ['a'], notVisibleOn: ['b']}}
    assert.match(clusterFindings(probed).find(f => f.ruleId === 'cluster.resultsDir.shared')!.message, /not visible on b/)
  })

  it('deltas: bytes per device from sectors, totals over whole physical disks only, CPU busy from /proc/stat ticks', () => {
    const start = host('a')
    const end = structuredClone(start)
    start.wholeDisks = end.wholeDisks = ['sda', 'dm-0']
    start.volatile.disks = [{name: 'sda', readsCompleted: 1, sectorsRead: 100, timeReadingMs: 0, writesCompleted: 1, sectorsWritten: 10, timeWritingMs: 0, iosInProgress: 0, timeDoingIosMs: 0}]
    end.volatile.disks = [
      {...start.volatile.disks[0], sectorsRead: 300, sectorsWritten: 20},
      {...start.volatile.disks[0], name: 'sda1', sectorsRead: 200, sectorsWritten: 10},
      {...start.volatile.disks[0], name: 'dm-0', sectorsRead: 200, sectorsWritten: 10},
    ]
    start.volatile.cpuTimes = {user: 100, nice: 0, system: 0, idle: 900, iowait: 0, irq: 0, softirq: 0, steal: 0}
    end.volatile.cpuTimes = {user: 400, nice: 0, system: 100, idle: 1300, iowait: 100, irq: 0, softirq: 0, steal: 0}
    const deltas = computeDeltas(snapshot([start]), snapshot([end]))
    assert.deepEqual(deltas.hosts[0].disks.find(d => d.name === 'sda'), {name: 'sda', readBytes: 200 * 512, writtenBytes: 10 * 512})
    assert.equal(deltas.totals.diskReadBytes, 200 * 512, 'sda1 (a partition) and dm-0 (layered) are not counted again')
    assert.equal(deltas.hosts[0].cpuBusyPercent, 44.44, '400 busy ticks of 900')
  })
})

describe('/proc parsers', () => {
  it('cgroup limits: the tightest over the chain, "max" and v1\'s page-rounded LONG_MAX meaning unlimited', () => {
    assert.deepEqual(parseCgroupLimits({
      '/sys/fs/cgroup/cgroup.controllers': 'cpu memory\n', '/sys/fs/cgroup/a/b/memory.max': 'max\n', '/sys/fs/cgroup/a/memory.max': '8589934592\n',
      '/sys/fs/cgroup/a/b/cpu.max': '200000 100000\n', '/sys/fs/cgroup/a/cpu.max': 'max 100000\n',
    }), {version: 2, memoryLimitBytes: 8 * 2 ** 30, cpuLimitCores: 2})
    assert.deepEqual(parseCgroupLimits({
      '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
    }), {version: 1, memoryLimitBytes: null, cpuLimitCores: null})
  })

  it('cpuinfo: sockets from physical ids, cores from (physical id, core id) pairs, threads from processors', () => {
    const block = (p: number, socket: number, core: number) => `processor\t: ${p}\nmodel name\t: Xeon\nphysical id\t: ${socket}\ncore id\t\t: ${core}\ncpu MHz\t\t: 2100.5\nflags\t\t: fpu lm sse\n`
    const text = [block(0, 0, 0), block(1, 0, 1), block(2, 1, 0), block(3, 1, 1), block(4, 0, 0), block(5, 0, 1), block(6, 1, 0), block(7, 1, 1)].join('\n')
    assert.deepEqual(parseCpuinfo(text), {model: 'Xeon', architecture: 'x86_64', sockets: 2, cores: 4, threads: 8, mhz: 2100.5})
  })
})

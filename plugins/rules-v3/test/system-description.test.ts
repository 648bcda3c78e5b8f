import assert from 'node:assert/strict'
import {editionV3, groupClients, placeholdersIn, systemDescriptionV3} from '@mlps/plugin-rules-v3'
import type {HostFacts, SystemDescriptionTarget} from 'mlps'
import {gatherLocal} from '../../../src/cluster/gather-local.js'
import {fingerprintOf, hostFactsFromRaw} from '../../../src/cluster/host-facts-from-raw.js'
import {verifySystem} from '../../../src/verify/evaluate.js'

/** This host's real facts, renamed and changed to play other hosts. */
function host(name: string, change: {memoryGiB?: number; nics?: HostFacts['stable']['network']; kernel?: string} = {}): HostFacts {
  const facts = hostFactsFromRaw(gatherLocal('snapshot'), {host: name, collector: 'test', clock: {offsetMs: 0, uncertaintyMs: 0}})
  facts.stable.cpu = {...facts.stable.cpu, model: 'Test CPU 9000', sockets: 2, cores: 64}
  facts.stable.memory.totalBytes = (change.memoryGiB ?? 512) * 2 ** 30 - 300 * 2 ** 20
  facts.stable.network = change.nics ?? [{name: 'eth0', speedMbps: 25_000, mtu: 1500}, {name: 'eth1', speedMbps: 25_000, mtu: 1500}, {name: 'ib0', speedMbps: 100_000, mtu: 4092}, {name: 'lo', speedMbps: null, mtu: 65536}]
  if (change.kernel) facts.stable.kernel.release = change.kernel
  facts.fingerprint = fingerprintOf(facts.stable)
  return facts
}

const target: SystemDescriptionTarget = {file: '/r/closed/acme/systems/lab1.yaml', systemName: 'lab1', organization: 'acme', division: 'closed'}
const system = (data: unknown) => ({path: 'closed/acme/systems/lab1.yaml', name: 'lab1', format: 'yaml' as const, division: 'closed' as const, organization: 'acme', data})
const tree = {root: '/r', runs: [], groups: [], systems: [], problems: [], listing: {folders: [], files: []}, benchmarks: {}}
const judge = (data: unknown) => verifySystem(system(data), editionV3, tree).filter(f => !f.notEvaluable)

/** What a submitter writes in place of each placeholder. */
function filled(document: any): any {
  const copy = structuredClone(document)
  const sut = copy.system_under_test
  Object.assign(sut.solution, {friendly_description: 'NVMe-oF over 100G', usable_capacity_tib: 120, availability: 'available'})
  sut.solution.architecture = {storage_location: 'remote', benchmark_API: 'file', product_API: 'file', client_footprint: 'open_source', client_installation: 'in_box'}
  sut.solution.capabilities = {multi_host: true, simultaneous_write: true, simultaneous_read: true, remap_time_in_seconds: 0}
  sut.deployment = 'onprem'
  sut.product_nodes = [{friendly_description: 'storage node', quantity: 2, chassis: {model_name: 'S1', cpu_model: 'X', cpu_qty: 1, cpu_cores: 16, memory_capacity: 128},
    networking: [{unit_count: 2, type: 'ethernet', state: 'up', speed: 100, traffic: ['data']}], operating_system: {name: 'Linux', version: '6'}}]
  for (const client of sut.clients) {
    client.chassis.model_name = 'R760'
    for (const nic of client.networking) nic.traffic = ['data']
  }
  return copy
}

describe('rules-v3 system description: generated from the clients\' facts, placeholders named, drift found', () => {
  it('groups clients by identical hardware and software, counts per group, NICs with a link speed by type and speed', () => {
    const groups = groupClients([host('node01'), host('node02', {memoryGiB: 1024}), host('node03')])
    assert.deepEqual(groups.map(group => [group.hosts, group.facts.memory_capacity]), [[['node01', 'node03'], 512], [['node02'], 1024]])
    assert.deepEqual(groups[0].facts.networking, [{unit_count: 2, type: 'ethernet', speed: 25}, {unit_count: 1, type: 'infiniband', speed: 100}])
    assert.deepEqual([groups[0].facts.cpu_qty, groups[0].facts.cpu_cores, groups[0].facts.cpu_model], [2, 32, 'Test CPU 9000'])
    assert.equal(groupClients([host('a'), host('b', {kernel: '6.1.0-99'})]).length, 2, 'another kernel is another group')
  })

  it('memory in whole GiB, and to 0.01 GiB for a client under 1 GiB instead of 0', () => {
    const small = host('node09', {memoryGiB: 1})
    small.stable.memory.totalBytes = 256 * 2 ** 20
    assert.deepEqual(groupClients([host('node01', {memoryGiB: 24}), small]).map(group => group.facts.memory_capacity), [24, 0.25])
  })

  it('writes the clients as v3.0 node descriptions and leaves what no tool knows as placeholders, each named by its YAML path', () => {
    const document: any = systemDescriptionV3.generate([host('node01'), host('node02', {memoryGiB: 1024}), host('node03')], target)
    const clients = document.system_under_test.clients
    assert.deepEqual(clients.map((c: any) => [c.quantity, c.chassis.memory_capacity, c.chassis.cpu_qty]), [[2, 512, 2], [1, 1024, 2]])
    assert.equal(document.system_under_test.solution.submission_name, 'lab1')
    const expected = placeholdersIn(document).map(p => p.path)
    for (const path of ['system_under_test.solution.availability', 'system_under_test.solution.usable_capacity_tib', 'system_under_test.deployment',
      'system_under_test.solution.capabilities.remap_time_in_seconds', 'system_under_test.product_nodes[0]', 'system_under_test.clients[1].chassis.model_name',
      'system_under_test.clients[0].networking[1].traffic']) assert.ok(expected.includes(path), path)
    const findings = judge(document)
    const named = findings.filter(f => f.ruleId === 'SCHEMA3 systemPlaceholders')
    assert.deepEqual(named.map(f => f.evidence?.[0]?.path), expected, 'one finding per placeholder, with its path')
    assert.ok(named.every(f => f.severity === 'error' && /still a placeholder/.test(f.message) && f.fix))
    assert.deepEqual(findings.filter(f => f.ruleId !== 'SCHEMA3 systemPlaceholders').map(f => f.message), [], 'the schema does not name them a second time')
  })

  it('filled in, the description passes the edition\'s system rules', () => {
    const document = filled(systemDescriptionV3.generate([host('node01'), host('node02')], target))
    assert.deepEqual(placeholdersIn(document), [])
    assert.deepEqual(judge(document).map(f => `${f.ruleId}: ${f.message}`), [])
  })

  it('the same clients show no drift, hand-filled values included; a client added, memory changed or a NIC gone each is a finding with its path', () => {
    const document = filled(systemDescriptionV3.generate([host('node01'), host('node02')], target))
    document.system_under_test.clients[0].friendly_description = 'written by hand'
    assert.deepEqual(systemDescriptionV3.drift(document, [host('node01'), host('node02')], target), [])

    const added = systemDescriptionV3.drift(document, [host('node01'), host('node02'), host('node03')], target)
    assert.equal(added.length, 1)
    assert.equal(added[0].severity, 'warn')
    assert.equal(added[0].evidence?.[0]?.path, 'system_under_test.clients[0].quantity')
    assert.match(added[0].message, /quantity says 2, but this run has 3 .*a client was added/)

    const single = filled(systemDescriptionV3.generate([host('node01')], target))
    const grown = systemDescriptionV3.drift(single, [host('node01', {memoryGiB: 768})], target)
    assert.deepEqual(grown.map(f => [f.severity, f.evidence?.[0]?.path, f.evidence?.[0]?.value]), [['warn', 'system_under_test.clients[0].chassis.memory_capacity', 768]])
    assert.match(grown[0].message, /memory_capacity says 512, but node01 measured 768/)

    const nicGone = systemDescriptionV3.drift(single, [host('node01', {nics: [{name: 'eth0', speedMbps: 25_000, mtu: 1500}]})], target)
    assert.deepEqual(nicGone.map(f => f.evidence?.[0]?.path), ['system_under_test.clients[0].networking'])

    const fewer = systemDescriptionV3.drift(document, [host('node01')], target)
    assert.deepEqual(fewer.map(f => f.severity), ['info'], 'a run on fewer of the clients is said, not a drift')
  })
})

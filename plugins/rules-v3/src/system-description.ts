import type {Evidence, Finding, HostFacts, SystemDescriptionFormat, SystemDescriptionTarget} from 'mlps'
import {type ClientFacts, type ClientGroup, groupClients} from './system-clients.js'
import {isPlaceholder, placeholder} from './system-placeholders.js'

// The v3.0 system description (rules.md §2.2 "v3.0 YAML", SCHEMA3 + the review's additions), generated from the
// client hosts' facts; what only the submitter knows is a placeholder the rule "SCHEMA3 systemPlaceholders" names.

const oneOf = (...values: string[]) => placeholder(values.join(' | '))

function nodeDescription(group: ClientGroup, index: number): Record<string, unknown> {
  const {facts} = group
  return {
    friendly_description: `client group ${index + 1}: ${facts.cpu_qty} × ${facts.cpu_model ?? 'CPU'}, ${facts.memory_capacity} GiB (${group.hosts.join(', ')})`,
    quantity: group.hosts.length,
    chassis: {
      model_name: placeholder('the client\'s chassis or server model'),
      cpu_model: facts.cpu_model ?? placeholder('the CPU model'),
      cpu_qty: facts.cpu_qty,
      cpu_cores: facts.cpu_cores,
      memory_capacity: facts.memory_capacity,
    },
    networking: facts.networking.map(nic => ({
      unit_count: nic.unit_count,
      type: nic.type ?? oneOf('ethernet', 'infiniband', 'other'),
      state: 'up',
      speed: nic.speed,
      traffic: placeholder('a list of management, data, metadata, backend'),
    })),
    operating_system: {name: facts.os_name ?? placeholder('the OS name'), version: facts.os_version ?? placeholder('the OS version'), kernel_version: facts.kernel_version},
  }
}

export function generateSystemDescription(clients: readonly HostFacts[], target: SystemDescriptionTarget): Record<string, unknown> {
  return {
    system_under_test: {
      solution: {
        submission_name: target.systemName,
        friendly_description: placeholder('one sentence on the storage solution'),
        architecture: {
          storage_location: oneOf('remote', 'local', 'remote_and_local'),
          benchmark_API: oneOf('file', 'object'),
          product_API: oneOf('file', 'object', 'block'),
          client_footprint: oneOf('open_source', 'closed_source', 'n/a'),
          client_installation: oneOf('in_box', 'installable', 'n/a'),
        },
        capabilities: {
          multi_host: oneOf('true', 'false'),
          simultaneous_write: oneOf('true', 'false'),
          simultaneous_read: oneOf('true', 'false'),
          remap_time_in_seconds: placeholder('seconds a failover remapping takes, 0 when reads and writes are simultaneous'),
        },
        usable_capacity_tib: placeholder('the usable capacity in TiB, at least 1'),
        availability: oneOf('available', 'preview', 'RDI'),
      },
      deployment: oneOf('onprem', 'cloud'),
      product_nodes: [placeholder('the storage nodes, each a node description (friendly_description, quantity, chassis, networking, drives, operating_system); none for local storage')],
      clients: groupClients(clients).map(nodeDescription),
    },
  }
}

interface Difference {
  path: string
  described: unknown
  measured: unknown
}

const at = (node: unknown, path: string): unknown => path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), node)
const nicsText = (nics: unknown) => Array.isArray(nics)
  ? nics.map(nic => `${at(nic, 'unit_count')}×${at(nic, 'speed')}Gb/s`).sort().join(', ') : undefined

/** The fields a tool measures, by their path inside a node description; a placeholder or an absent value is not compared. */
function differences(described: unknown, facts: ClientFacts): Difference[] {
  const measured: Record<string, unknown> = {
    'chassis.cpu_model': facts.cpu_model, 'chassis.cpu_qty': facts.cpu_qty, 'chassis.cpu_cores': facts.cpu_cores, 'chassis.memory_capacity': facts.memory_capacity,
    'operating_system.name': facts.os_name, 'operating_system.version': facts.os_version, 'operating_system.kernel_version': facts.kernel_version,
  }
  const found = Object.entries(measured).flatMap(([path, value]) => {
    const written = at(described, path)
    if (value === null || written === undefined || written === null || isPlaceholder(written)) return []
    return String(written) === String(value) ? [] : [{path, described: written, measured: value}]
  })
  const nics = nicsText(at(described, 'networking'))
  const measuredNics = nicsText(facts.networking)
  if (nics !== undefined && nics !== measuredNics) found.push({path: 'networking', described: nics || 'none', measured: measuredNics || 'none'})
  return found
}

const RULE = '2.1.9 systemConfigurationDrift'

/** The measured clients against the description's `clients[]`: what changed, what was added, what this run did not use. */
export function systemDrift(document: unknown, hosts: readonly HostFacts[], target: SystemDescriptionTarget): Finding[] {
  const file = target.file
  const written = at(document, 'system_under_test.clients')
  const described = Array.isArray(written) ? written.map((node, index) => ({node, index})) : []
  const measured = groupClients(hosts)
  const findings: Finding[] = []
  const finding = (severity: Finding['severity'], message: string, evidence: Evidence[], fix?: string): Finding =>
    ({ruleId: RULE, severity, kind: 'environment', message: `${file}: ${message}`, evidence, ...(fix ? {fix} : {})})
  const unmatched = new Set(described)
  const pairs: Array<{group: ClientGroup; entry: {node: unknown; index: number}; diffs: Difference[]}> = []
  const unpaired: ClientGroup[] = []
  for (const group of measured) {
    const exact = [...unmatched].find(entry => differences(entry.node, group.facts).length === 0)
    if (exact) {
      unmatched.delete(exact)
      pairs.push({group, entry: exact, diffs: []})
    } else unpaired.push(group)
  }
  for (const group of unpaired) {
    const nearest = [...unmatched].map(entry => ({entry, diffs: differences(entry.node, group.facts)})).sort((a, b) => a.diffs.length - b.diffs.length)[0]
    if (nearest && nearest.diffs.length <= 3) {
      unmatched.delete(nearest.entry)
      pairs.push({group, ...nearest})
      continue
    }
    findings.push(finding('warn', `${group.hosts.length} client(s) (${group.hosts.join(', ')}) match no client group of the description: ${group.facts.cpu_qty} × ${group.facts.cpu_model}, ${group.facts.memory_capacity} GiB`,
      [{file, path: 'system_under_test.clients'}], 'add them to clients (or describe this configuration under another system name: one system name is one configuration, R 2.1.9)'))
  }
  for (const {group, entry, diffs} of pairs) {
    const base = `system_under_test.clients[${entry.index}]`
    for (const diff of diffs) {
      findings.push(finding('warn', `${base}.${diff.path} says ${JSON.stringify(diff.described)}, but ${group.hosts.join(', ')} measured ${JSON.stringify(diff.measured)}`,
        [{file, path: `${base}.${diff.path}`, value: diff.measured}], 'correct the description if the system changed, or run on the system it describes'))
    }
    const quantity = at(entry.node, 'quantity')
    if (typeof quantity === 'number' && group.hosts.length > quantity) {
      findings.push(finding('warn', `${base}.quantity says ${quantity}, but this run has ${group.hosts.length} such clients (${group.hosts.join(', ')}): a client was added`,
        [{file, path: `${base}.quantity`, value: group.hosts.length}], `set quantity to ${group.hosts.length} if the system grew`))
    } else if (typeof quantity === 'number' && group.hosts.length < quantity) {
      findings.push(finding('info', `${base}.quantity says ${quantity}; this run used ${group.hosts.length} of them`, [{file, path: `${base}.quantity`, value: group.hosts.length}]))
    }
  }
  for (const entry of unmatched) {
    findings.push(finding('info', `system_under_test.clients[${entry.index}] was not among this run's hosts`, [{file, path: `system_under_test.clients[${entry.index}]`}]))
  }
  return findings
}

export const systemDescriptionV3: SystemDescriptionFormat = {generate: generateSystemDescription, drift: systemDrift}

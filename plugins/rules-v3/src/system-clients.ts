import type {HostFacts} from 'mlps'

/** What mlps knows of a client, in the v3.0 node_description's terms (rules.md §2.2). */
export interface ClientFacts {
  cpu_model: string | null
  cpu_qty: number
  /** cores per CPU, as SCHEMA3's chassis counts them */
  cpu_cores: number
  /** GiB, whole (MemTotal sits a little under the installed memory); to 0.01 GiB below 1 GiB, where whole would say 0 */
  memory_capacity: number
  /** NICs with a link speed (virtual and down interfaces report none), grouped: "1 × 25 Gb/s ethernet" */
  networking: Array<{unit_count: number; type?: 'ethernet' | 'infiniband'; speed: number}>
  os_name: string | null
  os_version: string | null
  kernel_version: string | null
}

export interface ClientGroup {
  facts: ClientFacts
  hosts: string[]
}

const GIB = 1024 ** 3

function nicType(name: string): 'ethernet' | 'infiniband' | undefined {
  if (/^ib/.test(name)) return 'infiniband'
  if (/^(en|eth)/.test(name)) return 'ethernet'
  return undefined
}

function memoryCapacity(totalBytes: number): number {
  const gib = totalBytes / GIB
  return gib >= 1 ? Math.round(gib) : Math.round(gib * 100) / 100
}

export function clientFacts(host: HostFacts): ClientFacts {
  const {cpu, memory, network, os, kernel} = host.stable
  const nics = new Map<string, {unit_count: number; type?: 'ethernet' | 'infiniband'; speed: number}>()
  for (const nic of network) {
    if (nic.speedMbps === null || nic.speedMbps <= 0 || nic.name === 'lo') continue
    const type = nicType(nic.name)
    const speed = nic.speedMbps / 1000
    const key = `${type ?? '?'}/${speed}`
    const group = nics.get(key) ?? {unit_count: 0, ...(type ? {type} : {}), speed}
    group.unit_count += 1
    nics.set(key, group)
  }
  const sockets = Math.max(cpu.sockets, 1)
  return {
    cpu_model: cpu.model,
    cpu_qty: cpu.sockets,
    cpu_cores: Math.round(cpu.cores / sockets),
    memory_capacity: memoryCapacity(memory.totalBytes),
    networking: [...nics.values()].sort((a, b) => a.speed - b.speed || (a.type ?? '').localeCompare(b.type ?? '')),
    os_name: os.prettyName ?? os.id,
    os_version: os.versionId,
    kernel_version: kernel.release,
  }
}

export const factsKey = (facts: ClientFacts) => JSON.stringify(facts)

/** Clients grouped by identical hardware and software (CPU model and count, memory, NICs, OS, kernel), in the order hosts were given. */
export function groupClients(hosts: readonly HostFacts[]): ClientGroup[] {
  const groups = new Map<string, ClientGroup>()
  for (const host of hosts) {
    const facts = clientFacts(host)
    const key = factsKey(facts)
    const group = groups.get(key) ?? {facts, hosts: []}
    group.hosts.push(host.host)
    groups.set(key, group)
  }
  return [...groups.values()]
}

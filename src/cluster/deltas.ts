import type {ClusterSnapshot, CpuTimes, HostFacts} from './host-facts.js'

/** diskstats counts 512-byte sectors whatever the device's block size (Documentation/admin-guide/iostats.rst) */
const SECTOR_BYTES = 512
/** block devices layered on others (device mapper, md, loop) or not disks at all: counting them would count I/O twice */
const LAYERED_DISK = /^(dm-|md|loop|ram|zram|nbd|sr)/

export interface HostDelta {
  host: string
  hostname: string
  seconds: number
  /** share of CPU time not idle and not waiting for I/O, over all CPUs */
  cpuBusyPercent: number | null
  disks: Array<{name: string; readBytes: number; writtenBytes: number}>
  network: Array<{name: string; rxBytes: number; txBytes: number}>
}

export interface ClusterDeltas {
  hosts: HostDelta[]
  totals: {
    /** over whole physical disks only */
    diskReadBytes: number
    diskWrittenBytes: number
    /** over every interface but loopback */
    networkRxBytes: number
    networkTxBytes: number
    /** mean over hosts */
    cpuBusyPercent: number | null
  }
}

/** What changed between the start and end snapshots, per host and in total; hosts missing from either side are left out. */
export function computeDeltas(start: ClusterSnapshot, end: ClusterSnapshot): ClusterDeltas {
  const before = new Map(start.hosts.map(h => [h.host, h]))
  const hosts = end.hosts.flatMap(after => {
    const first = before.get(after.host)
    return first && first.hostname === after.hostname ? [hostDelta(first, after)] : []
  })
  const unique = uniqueByHostname(hosts)
  let diskReadBytes = 0
  let diskWrittenBytes = 0
  let networkRxBytes = 0
  let networkTxBytes = 0
  for (const delta of unique) {
    const whole = new Set(end.hosts.find(h => h.host === delta.host)?.wholeDisks.filter(name => !LAYERED_DISK.test(name)))
    for (const disk of delta.disks.filter(d => whole.has(d.name))) {
      diskReadBytes += disk.readBytes
      diskWrittenBytes += disk.writtenBytes
    }
    for (const nic of delta.network.filter(n => n.name !== 'lo')) {
      networkRxBytes += nic.rxBytes
      networkTxBytes += nic.txBytes
    }
  }
  const busy = unique.map(d => d.cpuBusyPercent).filter((v): v is number => v !== null)
  return {
    hosts,
    totals: {
      diskReadBytes, diskWrittenBytes, networkRxBytes, networkTxBytes,
      cpuBusyPercent: busy.length > 0 ? round(busy.reduce((a, b) => a + b, 0) / busy.length) : null,
    },
  }
}

export function cpuBusyPercent(first: CpuTimes | null, last: CpuTimes | null): number | null {
  if (!first || !last) return null
  const total = (t: CpuTimes) => t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal
  const elapsed = total(last) - total(first)
  if (elapsed <= 0) return null
  const idle = last.idle + last.iowait - first.idle - first.iowait
  return round(100 * (1 - idle / elapsed))
}

function hostDelta(first: HostFacts, last: HostFacts): HostDelta {
  const disksBefore = new Map(first.volatile.disks.map(d => [d.name, d]))
  const nicsBefore = new Map(first.volatile.network.map(n => [n.name, n]))
  return {
    host: last.host,
    hostname: last.hostname,
    seconds: (Date.parse(last.collectedAt) - Date.parse(first.collectedAt)) / 1000,
    cpuBusyPercent: cpuBusyPercent(first.volatile.cpuTimes, last.volatile.cpuTimes),
    disks: last.volatile.disks.flatMap(disk => {
      const previous = disksBefore.get(disk.name) ?? {sectorsRead: 0, sectorsWritten: 0}
      const readBytes = (disk.sectorsRead - previous.sectorsRead) * SECTOR_BYTES
      const writtenBytes = (disk.sectorsWritten - previous.sectorsWritten) * SECTOR_BYTES
      // counters that went backwards mean the device was replaced or the host rebooted: no honest delta
      return readBytes < 0 || writtenBytes < 0 || (readBytes === 0 && writtenBytes === 0) ? [] : [{name: disk.name, readBytes, writtenBytes}]
    }),
    network: last.volatile.network.flatMap(nic => {
      const previous = nicsBefore.get(nic.name) ?? {rxBytes: 0, txBytes: 0}
      const rxBytes = nic.rxBytes - previous.rxBytes
      const txBytes = nic.txBytes - previous.txBytes
      return rxBytes < 0 || txBytes < 0 || (rxBytes === 0 && txBytes === 0) ? [] : [{name: nic.name, rxBytes, txBytes}]
    }),
  }
}

/** Several names for one machine (localhost and its hostname) must count once. */
export function uniqueByHostname<T extends {hostname: string}>(items: readonly T[]): T[] {
  const seen = new Set<string>()
  return items.filter(item => !seen.has(item.hostname) && seen.add(item.hostname))
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

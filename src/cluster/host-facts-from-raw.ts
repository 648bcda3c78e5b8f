import {createHash} from 'node:crypto'
import {type ClockOffset, type HostFacts, HostFactsSchema, type HostStable, type HostVolatile} from './host-facts.js'
import {VIRTUAL_FS_TYPES} from './gather-plan.js'
import {
  parseCgroupLimits, parseCpuinfo, parseCpuTimes, parseDiskstats, parseLoadavg, parseMeminfo, parseMounts, parseNetDev,
  parseOsRelease, parsePartitions, parseVmstat,
} from './parse-proc.js'
import type {RawHostReport} from './raw-report.js'

const virtualTypes = new Set<string>(VIRTUAL_FS_TYPES)
/** file systems sized from RAM: their size and options follow MemTotal, which differs by a few kB between identical hosts */
const RAM_BACKED = new Set(['tmpfs', 'devtmpfs', 'ramfs'])
const VOLATILE_MEMORY_KEYS = [
  'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree', 'Dirty', 'Writeback', 'Active(file)', 'Inactive(file)', 'Shmem',
]

export interface FactsContext {
  /** the name the host was asked for */
  host: string
  collector: string
  clock: ClockOffset
}

/** Turn one host's raw report into its facts: the only place raw text becomes facts. */
export function hostFactsFromRaw(raw: RawHostReport, context: FactsContext): HostFacts {
  const text = (path: string) => raw.files[path] ?? ''
  const errors = {...raw.errors}
  const cpuinfo = parseCpuinfo(text('/proc/cpuinfo'))
  const meminfo = parseMeminfo(text('/proc/meminfo'))
  const osRelease = parseOsRelease(text('/etc/os-release'))
  const sizes = new Map(raw.statfs.map(s => [s.mountPoint, s]))
  const stable: HostStable = {
    os: {id: osRelease.ID ?? null, versionId: osRelease.VERSION_ID ?? null, prettyName: osRelease.PRETTY_NAME ?? null},
    kernel: {release: text('/proc/sys/kernel/osrelease').trim() || null, version: text('/proc/version').trim() || null},
    cpu: {model: cpuinfo.model, architecture: cpuinfo.architecture, sockets: cpuinfo.sockets, cores: cpuinfo.cores, threads: cpuinfo.threads},
    memory: {totalBytes: meminfo.MemTotal ?? 0},
    blockDevices: parsePartitions(text('/proc/partitions')),
    mounts: parseMounts(text('/proc/mounts')).map(mount => {
      const size = virtualTypes.has(mount.fsType) ? undefined : sizes.get(mount.mountPoint)
      return {...mount, sizeBytes: size ? kibRounded(size.blocks * size.blockSize) : null}
    }),
    network: raw.net.map(({name, speed, mtu}) => ({name, speedMbps: speed !== null && speed > 0 ? speed : null, mtu})),
    cgroup: parseCgroupLimits(raw.files),
  }
  if (stable.memory.totalBytes === 0) errors['/proc/meminfo'] ??= 'no MemTotal'
  if (stable.cpu.threads === 0) errors['/proc/cpuinfo'] ??= 'no processor entries'
  const volatile = volatileFromRaw(raw)
  volatile.cpuMhz = cpuinfo.mhz
  volatile.filesystems = raw.statfs.map(s => ({
    mountPoint: s.mountPoint, freeBytes: kibRounded(s.freeBlocks * s.blockSize), availableBytes: kibRounded(s.availableBlocks * s.blockSize),
  }))
  const hostname = text('/proc/sys/kernel/hostname').trim() || context.host
  return HostFactsSchema.parse({
    host: context.host,
    hostname,
    collector: context.collector,
    collectedAt: new Date(raw.timeMs).toISOString(),
    fingerprint: fingerprintOf(stable),
    stable,
    volatile,
    clock: context.clock,
    wholeDisks: raw.blockDevices,
    errors,
  })
}

/** The counters of a snapshot or a time-series sample. */
export function volatileFromRaw(raw: RawHostReport): HostVolatile {
  const text = (path: string) => raw.files[path] ?? ''
  const meminfo = parseMeminfo(text('/proc/meminfo'))
  const uptime = Number.parseFloat(text('/proc/uptime'))
  return {
    uptimeSeconds: Number.isFinite(uptime) ? uptime : null,
    loadavg: parseLoadavg(text('/proc/loadavg')),
    memory: Object.fromEntries(VOLATILE_MEMORY_KEYS.filter(key => meminfo[key] !== undefined).map(key => [key, meminfo[key]])),
    cpuTimes: parseCpuTimes(text('/proc/stat')),
    cpuMhz: null,
    disks: parseDiskstats(text('/proc/diskstats')),
    vmstat: parseVmstat(text('/proc/vmstat')),
    network: parseNetDev(text('/proc/net/dev')),
  }
}

/**
 * A short hash of what makes a host what it is, leaving out what differs
 * between identical hosts: names, counters, the last few kB of MemTotal
 * (memory is compared in GiB), the size of RAM-backed file systems, and
 * loopback and veth interfaces (containers come and go).
 */
export function fingerprintOf(stable: HostStable): string {
  const projection = {
    os: stable.os,
    kernel: stable.kernel,
    cpu: stable.cpu,
    memoryGiB: Math.round(stable.memory.totalBytes / 2 ** 30),
    blockDevices: stable.blockDevices,
    mounts: stable.mounts.map(m => (RAM_BACKED.has(m.fsType) ? {mountPoint: m.mountPoint, fsType: m.fsType} : m)),
    network: stable.network.filter(n => n.name !== 'lo' && !n.name.startsWith('veth')),
    cgroup: stable.cgroup,
  }
  return createHash('sha256').update(JSON.stringify(projection)).digest('hex').slice(0, 16)
}

function kibRounded(bytes: number): number {
  return Math.ceil(bytes / 1024) * 1024
}

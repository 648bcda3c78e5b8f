import type {CpuTimes, DiskCounters, HostStable, NetworkCounters} from './host-facts.js'

/**
 * Parsers for the /proc and /sys files gatherers read (mlpstorage-spec.md
 * §7.2 gives the reference's field lists). Each is total: text it does not
 * understand yields nothing rather than an exception, and the caller
 * records what came out empty.
 */

/** /proc/meminfo: `Key:   123 kB` → bytes (lines without a unit are counts, kept as they are) */
export function parseMeminfo(text: string): Record<string, number> {
  const values: Record<string, number> = {}
  for (const line of text.split('\n')) {
    const match = /^([^:]+):\s+(\d+)(\s+kB)?\s*$/.exec(line)
    if (match) values[match[1]] = Number(match[2]) * (match[3] ? 1024 : 1)
  }
  return values
}

export function parseCpuinfo(text: string): HostStable['cpu'] & {mhz: number | null} {
  const blocks = text.split(/\n\s*\n/).map(block => {
    const fields: Record<string, string> = {}
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':')
      if (colon > 0) fields[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
    }
    return fields
  }).filter(fields => fields.processor !== undefined)
  const first = blocks[0] ?? {}
  const sockets = new Set(blocks.map(b => b['physical id']).filter(id => id !== undefined))
  const cores = new Set(blocks.filter(b => b['core id'] !== undefined).map(b => `${b['physical id']}/${b['core id']}`))
  const mhz = Number.parseFloat(first['cpu MHz'] ?? '')
  return {
    model: first['model name'] ?? first.cpu ?? first.Hardware ?? null,
    architecture: architectureOf(first),
    sockets: sockets.size || (blocks.length > 0 ? 1 : 0),
    cores: cores.size || blocks.length,
    threads: blocks.length,
    mhz: Number.isFinite(mhz) ? mhz : null,
  }
}

/** cpuinfo does not name the architecture; these markers do (x86 long mode, ARMv8, RISC-V, POWER). */
function architectureOf(first: Record<string, string>): string | null {
  const flags = ` ${first.flags ?? ''} `
  if (flags.includes(' lm ')) return 'x86_64'
  if (first.flags !== undefined) return 'i686'
  if (first['CPU architecture'] === '8') return 'aarch64'
  if (first.isa?.startsWith('rv64')) return 'riscv64'
  if (/power/i.test(first.cpu ?? '')) return 'ppc64le'
  return null
}

export function parseCpuTimes(procStat: string): CpuTimes | null {
  const line = procStat.split('\n').find(l => l.startsWith('cpu '))
  if (!line) return null
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number)
  return {user, nice, system, idle, iowait, irq, softirq, steal}
}

/** /proc/diskstats, devices that have done any I/O (idle loop and ram devices would only add noise) */
export function parseDiskstats(text: string): DiskCounters[] {
  const disks: DiskCounters[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 14) continue
    const n = (i: number) => Number(f[i])
    const disk = {
      name: f[2], readsCompleted: n(3), sectorsRead: n(5), timeReadingMs: n(6), writesCompleted: n(7), sectorsWritten: n(9),
      timeWritingMs: n(10), iosInProgress: n(11), timeDoingIosMs: n(12),
    }
    if (disk.readsCompleted > 0 || disk.writesCompleted > 0) disks.push(disk)
  }
  return disks
}

/** /proc/partitions: sizes in 1 KiB blocks */
export function parsePartitions(text: string): HostStable['blockDevices'] {
  return text.split('\n').flatMap(line => {
    const match = /^\s*\d+\s+\d+\s+(\d+)\s+(\S+)\s*$/.exec(line)
    return match ? [{name: match[2], sizeBytes: Number(match[1]) * 1024}] : []
  })
}

const VMSTAT_KEPT = new Set([
  'nr_free_pages', 'nr_file_pages', 'nr_dirty', 'nr_writeback', 'pgpgin', 'pgpgout', 'pswpin', 'pswpout', 'pgfault', 'pgmajfault',
  'pgscan_kswapd', 'pgscan_direct', 'pgsteal_kswapd', 'pgsteal_direct', 'workingset_refault_file',
])

export function parseVmstat(text: string): Record<string, number> {
  const values: Record<string, number> = {}
  for (const line of text.split('\n')) {
    const [key, value] = line.split(' ')
    if (VMSTAT_KEPT.has(key) && /^\d+$/.test(value ?? '')) values[key] = Number(value)
  }
  return values
}

export function parseLoadavg(text: string): {one: number; five: number; fifteen: number; running: number; total: number} | null {
  const match = /^([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\/(\d+)/.exec(text.trim())
  if (!match) return null
  return {one: Number(match[1]), five: Number(match[2]), fifteen: Number(match[3]), running: Number(match[4]), total: Number(match[5])}
}

export function parseNetDev(text: string): NetworkCounters[] {
  return text.split('\n').flatMap(line => {
    const match = /^\s*([^:\s]+):\s*(.*)$/.exec(line)
    if (!match) return []
    const f = match[2].trim().split(/\s+/).map(Number)
    if (f.length < 16) return []
    return [{name: match[1], rxBytes: f[0], rxPackets: f[1], rxErrors: f[2], txBytes: f[8], txPackets: f[9], txErrors: f[10]}]
  })
}

export function parseMounts(text: string): Array<{device: string; mountPoint: string; fsType: string; options: string}> {
  return text.split('\n').flatMap(line => {
    const [device, mountPoint, fsType, options] = line.split(' ')
    return device && mountPoint && fsType ? [{device, mountPoint, fsType, options: options ?? ''}] : []
  })
}

export function parseOsRelease(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (match) values[match[1]] = match[2].replace(/^(["'])(.*)\1$/, '$2')
  }
  return values
}

/**
 * The tightest limit along the cgroup chain the gatherer read: v2's
 * memory.max / cpu.max, v1's memory.limit_in_bytes / cfs quota and period.
 * "max", -1 and v1's page-rounded LONG_MAX all mean unlimited.
 */
export function parseCgroupLimits(files: Record<string, string>): HostStable['cgroup'] {
  const unified = files['/sys/fs/cgroup/cgroup.controllers'] !== undefined
  const entries = Object.entries(files).filter(([path]) => path.startsWith('/sys/fs/cgroup/') && !path.endsWith('cgroup.controllers'))
  const unlimited = 2 ** 62
  let memory: number | null = null
  let cpu: number | null = null
  const tighten = (current: number | null, value: number) => (current === null ? value : Math.min(current, value))
  for (const [path, raw] of entries) {
    const text = raw.trim()
    const dir = path.slice(0, path.lastIndexOf('/'))
    if (path.endsWith('/memory.max') || path.endsWith('/memory.limit_in_bytes')) {
      if (/^\d+$/.test(text) && Number(text) < unlimited) memory = tighten(memory, Number(text))
    } else if (path.endsWith('/cpu.max')) {
      const [quota, period] = text.split(/\s+/)
      if (/^\d+$/.test(quota) && Number(period) > 0) cpu = tighten(cpu, Number(quota) / Number(period))
    } else if (path.endsWith('/cpu.cfs_quota_us')) {
      const period = Number(files[`${dir}/cpu.cfs_period_us`]?.trim())
      if (/^\d+$/.test(text) && period > 0) cpu = tighten(cpu, Number(text) / period)
    }
  }
  const version = unified ? 2 : entries.length > 0 ? 1 : null
  return {version, memoryLimitBytes: memory, cpuLimitCores: cpu}
}

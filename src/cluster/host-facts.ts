import {z} from 'zod'

/**
 * The facts every collector returns for one host (mlpstorage-spec.md §7.2,
 * §7.3; user-asks.md §4 item 12). `stable` holds what identifies the
 * hardware and software configuration and is hashed into `fingerprint`:
 * two identical hosts have identical fingerprints, so the hostname, MAC
 * addresses and every counter live outside it. `volatile` holds the
 * counters a time series samples.
 */

const count = z.number().nonnegative()

export const CpuSchema = z.object({
  model: z.string().nullable(),
  architecture: z.string().nullable(),
  sockets: z.number().int().nonnegative(),
  /** physical cores over all sockets: distinct (physical id, core id) pairs */
  cores: z.number().int().nonnegative(),
  /** logical CPUs (hardware threads) */
  threads: z.number().int().nonnegative(),
})

export const MountSchema = z.object({
  device: z.string(),
  mountPoint: z.string(),
  fsType: z.string(),
  options: z.string(),
  /** statfs total, rounded to KiB so every gatherer agrees; null for virtual file systems or when statfs failed */
  sizeBytes: z.number().nonnegative().nullable(),
})

export const BlockDeviceSchema = z.object({name: z.string(), sizeBytes: count})

export const NetworkInterfaceSchema = z.object({
  name: z.string(),
  /** link speed in Mb/s from /sys/class/net/<if>/speed; null when the driver does not report it (virtual, down) */
  speedMbps: z.number().nullable(),
  mtu: z.number().int().nullable(),
})

export const CgroupLimitsSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]).nullable(),
  /** the tightest memory limit over the process's cgroup and its ancestors; null = unlimited or unknown */
  memoryLimitBytes: z.number().nonnegative().nullable(),
  /** CPU quota / period in cores over the same chain; null = unlimited or unknown */
  cpuLimitCores: z.number().nonnegative().nullable(),
})

export const HostStableSchema = z.object({
  os: z.object({id: z.string().nullable(), versionId: z.string().nullable(), prettyName: z.string().nullable()}),
  kernel: z.object({release: z.string().nullable(), version: z.string().nullable()}),
  cpu: CpuSchema,
  memory: z.object({totalBytes: count}),
  blockDevices: z.array(BlockDeviceSchema),
  mounts: z.array(MountSchema),
  network: z.array(NetworkInterfaceSchema),
  cgroup: CgroupLimitsSchema,
})
export type HostStable = z.infer<typeof HostStableSchema>

export const CpuTimesSchema = z.object({
  user: count, nice: count, system: count, idle: count, iowait: count, irq: count, softirq: count, steal: count,
})
export type CpuTimes = z.infer<typeof CpuTimesSchema>

export const DiskCountersSchema = z.object({
  name: z.string(),
  readsCompleted: count, sectorsRead: count, timeReadingMs: count,
  writesCompleted: count, sectorsWritten: count, timeWritingMs: count,
  iosInProgress: count, timeDoingIosMs: count,
})
export type DiskCounters = z.infer<typeof DiskCountersSchema>

export const NetworkCountersSchema = z.object({
  name: z.string(), rxBytes: count, rxPackets: count, rxErrors: count, txBytes: count, txPackets: count, txErrors: count,
})
export type NetworkCounters = z.infer<typeof NetworkCountersSchema>

export const HostVolatileSchema = z.object({
  uptimeSeconds: count.nullable(),
  loadavg: z.object({one: count, five: count, fifteen: count, running: count, total: count}).nullable(),
  /** /proc/meminfo values other than MemTotal, in bytes (MemFree, MemAvailable, Cached, Dirty, ...) */
  memory: z.record(z.string(), count),
  /** aggregate `cpu` line of /proc/stat, in clock ticks */
  cpuTimes: CpuTimesSchema.nullable(),
  /** MHz of the first CPU: it follows frequency scaling, so it is not part of the fingerprint */
  cpuMhz: z.number().nullable(),
  disks: z.array(DiskCountersSchema),
  /** the /proc/vmstat counters that describe paging and writeback */
  vmstat: z.record(z.string(), count),
  network: z.array(NetworkCountersSchema),
  /** free space per mounted file system with a size; absent in time-series samples */
  filesystems: z.array(z.object({mountPoint: z.string(), freeBytes: count, availableBytes: count})).optional(),
})
export type HostVolatile = z.infer<typeof HostVolatileSchema>

export const ClockOffsetSchema = z.object({
  /** host clock minus controller clock */
  offsetMs: z.number(),
  /** half the round trip the reading was taken in: the true offset is within offsetMs ± uncertaintyMs */
  uncertaintyMs: z.number().nonnegative(),
})
export type ClockOffset = z.infer<typeof ClockOffsetSchema>

export const HostFactsSchema = z.object({
  /** the name the host was asked for (as in --hosts) */
  host: z.string(),
  /** what the host calls itself */
  hostname: z.string(),
  collector: z.string(),
  /** the host's own clock when it read its facts */
  collectedAt: z.string(),
  fingerprint: z.string(),
  stable: HostStableSchema,
  volatile: HostVolatileSchema,
  clock: ClockOffsetSchema,
  /** whole disks (from /sys/block), so totals do not count a partition and its disk twice */
  wholeDisks: z.array(z.string()),
  /** what could not be read, by source; collection never fails because one file is missing */
  errors: z.record(z.string(), z.string()),
})
export type HostFacts = z.infer<typeof HostFactsSchema>

export const HostFailureReasonSchema = z.enum([
  'refused', 'auth', 'timeout', 'host-key-mismatch', 'host-key-unknown', 'unreachable', 'not-local', 'command', 'protocol', 'error',
])
export type HostFailureReason = z.infer<typeof HostFailureReasonSchema>

export const HostFailureSchema = z.object({host: z.string(), reason: HostFailureReasonSchema, message: z.string()})
export type HostFailure = z.infer<typeof HostFailureSchema>

/** One collection over the cluster: the hosts that answered and those that did not, with why. */
export const ClusterSnapshotSchema = z.object({
  collector: z.string(),
  requestedHosts: z.array(z.string()),
  hosts: z.array(HostFactsSchema),
  missing: z.array(HostFailureSchema),
  startedAt: z.string(),
  durationMs: count,
  /** shared-filesystem probe: per host, whether it saw the file the controller wrote */
  probe: z.object({path: z.string(), visibleOn: z.array(z.string()), notVisibleOn: z.array(z.string())}).optional(),
})
export type ClusterSnapshot = z.infer<typeof ClusterSnapshotSchema>

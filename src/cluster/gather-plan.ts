/**
 * What the gatherers read, shared by the in-process gatherer and the shell
 * program so the two cannot drift apart.
 */

/** read once per snapshot: identity, hardware, configuration, and the counters */
export const SNAPSHOT_FILES = [
  '/proc/sys/kernel/hostname', '/proc/sys/kernel/osrelease', '/proc/version', '/etc/os-release', '/proc/cpuinfo',
  '/proc/meminfo', '/proc/stat', '/proc/diskstats', '/proc/partitions', '/proc/vmstat', '/proc/loadavg', '/proc/uptime',
  '/proc/net/dev', '/proc/mounts', '/sys/fs/cgroup/cgroup.controllers',
] as const

/** read at every time-series sample: counters only (mlpstorage-spec.md §7.7 "perturbation controls") */
export const SAMPLE_FILES = [
  '/proc/sys/kernel/hostname', '/proc/stat', '/proc/diskstats', '/proc/vmstat', '/proc/loadavg', '/proc/meminfo', '/proc/net/dev', '/proc/uptime',
] as const

/**
 * Only these /proc/stat lines are kept: the `intr` line alone runs to
 * thousands of numbers on large hosts and nothing here uses it.
 */
export const PROC_STAT_LINE = /^(cpu |btime|ctxt|procs_)/
export const PROC_STAT_GREP = '^(cpu |btime|ctxt|procs_)'

/** file systems without a meaningful size: statfs is skipped for them */
export const VIRTUAL_FS_TYPES = [
  'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'mqueue', 'debugfs', 'tracefs', 'securityfs', 'pstore', 'bpf', 'configfs',
  'fusectl', 'hugetlbfs', 'autofs', 'binfmt_misc', 'rpc_pipefs', 'nsfs', 'efivarfs', 'selinuxfs',
] as const

/** cgroup limit files, read on the process's cgroup and each ancestor (the tightest one applies) */
export const CGROUP_V2_FILES = ['memory.max', 'cpu.max'] as const
export const CGROUP_V1_MEMORY_FILES = ['memory.limit_in_bytes'] as const
export const CGROUP_V1_CPU_FILES = ['cpu.cfs_quota_us', 'cpu.cfs_period_us'] as const

/** files whose absence is a fact, not an error (cgroup.controllers exists only on a cgroup v2 host) */
export const OPTIONAL_FILES: ReadonlySet<string> = new Set(['/sys/fs/cgroup/cgroup.controllers', '/etc/os-release'])

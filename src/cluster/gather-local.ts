import {readdirSync, readFileSync, statfsSync} from 'node:fs'
import {
  CGROUP_V1_CPU_FILES, CGROUP_V1_MEMORY_FILES, CGROUP_V2_FILES, OPTIONAL_FILES, PROC_STAT_LINE, SAMPLE_FILES, SNAPSHOT_FILES, VIRTUAL_FS_TYPES,
} from './gather-plan.js'
import {RAW_REPORT_FORMAT, type RawHostReport} from './raw-report.js'

const virtualTypes = new Set<string>(VIRTUAL_FS_TYPES)

/**
 * The in-process gatherer: this host's raw report, read synchronously so a
 * sample costs a handful of small reads and no process. The shell program
 * in gather-script.ts reads exactly the same things on other hosts.
 */
export function gatherLocal(mode: 'snapshot' | 'sample', probePath?: string): RawHostReport {
  const timeMs = Date.now()
  const files: Record<string, string> = {}
  const errors: Record<string, string> = {}
  const read = (path: string): void => {
    try {
      const text = readFileSync(path, 'utf8')
      files[path] = path === '/proc/stat' ? text.split('\n').filter(line => PROC_STAT_LINE.test(line)).join('\n') + '\n' : text
    } catch (error) {
      if (!OPTIONAL_FILES.has(path)) errors[path] = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    }
  }
  for (const path of mode === 'snapshot' ? SNAPSHOT_FILES : SAMPLE_FILES) read(path)
  const report: RawHostReport = {format: RAW_REPORT_FORMAT, mode, timeMs, timePrecise: true, files, statfs: [], net: [], blockDevices: [], errors}
  if (mode === 'sample') return report

  for (const path of cgroupFiles(readText('/proc/self/cgroup'), files['/sys/fs/cgroup/cgroup.controllers'] !== undefined)) {
    try {
      files[path] = readFileSync(path, 'utf8')
    } catch {
      // a level of the hierarchy without the file (or outside this cgroup namespace) sets no limit
    }
  }
  report.statfs = statfsOfMounts(files['/proc/mounts'] ?? '')
  report.net = listDir('/sys/class/net').map(name => ({
    name, speed: readNumber(`/sys/class/net/${name}/speed`), mtu: readNumber(`/sys/class/net/${name}/mtu`),
  }))
  report.blockDevices = listDir('/sys/block')
  if (probePath !== undefined) report.probe = readTextOrNull(probePath)
  return report
}

/** The limit files on the process's cgroup path and every ancestor, for v2 or for v1's memory and cpu hierarchies. */
export function cgroupFiles(selfCgroup: string, unified: boolean): string[] {
  const paths: string[] = []
  const walk = (base: string, cgroupPath: string | undefined, names: readonly string[]) => {
    if (cgroupPath === undefined) return
    let path = cgroupPath === '/' ? '' : cgroupPath
    for (;;) {
      for (const name of names) paths.push(`${base}${path}/${name}`)
      if (path === '') break
      path = path.slice(0, path.lastIndexOf('/'))
    }
  }
  const lines = selfCgroup.split('\n').map(line => line.split(':'))
  const pathOf = (controller: string) => lines.find(parts => parts.length >= 3 && parts[1].split(',').includes(controller))?.slice(2).join(':')
  if (unified) {
    walk('/sys/fs/cgroup', lines.find(parts => parts[0] === '0' && parts[1] === '')?.slice(2).join(':'), CGROUP_V2_FILES)
  } else {
    walk('/sys/fs/cgroup/memory', pathOf('memory'), CGROUP_V1_MEMORY_FILES)
    walk('/sys/fs/cgroup/cpu', pathOf('cpu'), CGROUP_V1_CPU_FILES)
  }
  return paths
}

function statfsOfMounts(mounts: string): RawHostReport['statfs'] {
  const result: RawHostReport['statfs'] = []
  for (const line of mounts.split('\n')) {
    const [, mountPoint, fsType] = line.split(' ')
    if (!mountPoint || virtualTypes.has(fsType)) continue
    try {
      const stats = statfsSync(unescapeMountField(mountPoint))
      result.push({mountPoint, blockSize: stats.bsize, blocks: stats.blocks, freeBlocks: stats.bfree, availableBlocks: stats.bavail})
    } catch {
      // a mount that vanished or that we may not stat has no size; the shell gatherer skips it the same way
    }
  }
  return result
}

/** /proc/mounts writes space, tab, newline and backslash as octal escapes. */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort()
  } catch {
    return []
  }
}

function readText(path: string): string {
  return readTextOrNull(path) ?? ''
}

function readTextOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

function readNumber(path: string): number | null {
  const text = readTextOrNull(path)?.trim()
  return text && /^-?\d+$/.test(text) ? Number(text) : null
}

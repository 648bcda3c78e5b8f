import fs from 'node:fs'
import os from 'node:os'

/**
 * DLIO's `lines_to_dict` over a /proc file: `key: value` lines, later keys
 * overwrite earlier ones (so /proc/cpuinfo yields its last processor block),
 * the `processor` key dropped.
 */
export function procFileDict(file: string): Record<string, string> {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return {}
  }
  const dict: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const parts = line.split(':')
    if (parts.length !== 2) continue
    const key = parts[0].trim()
    if (key !== 'processor') dict[key] = parts[1].trim()
  }
  return dict
}

export interface HostInfo {
  hostname: string
  cpuCount: number
  /** Python's platform.processor() on Linux is the machine name */
  processorName: string
  memoryBytes: number
  memoryGB: number
  cpuinfo: Record<string, string>
  meminfo: Record<string, string>
}

export function hostInfo(hostname = os.hostname()): HostInfo {
  const memoryBytes = os.totalmem()
  return {
    hostname,
    cpuCount: os.cpus().length,
    processorName: os.machine(),
    memoryBytes,
    memoryGB: memoryBytes / 1024 / 1024 / 1024,
    cpuinfo: procFileDict('/proc/cpuinfo'),
    meminfo: procFileDict('/proc/meminfo'),
  }
}

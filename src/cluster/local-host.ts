import {hostname} from 'node:os'

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', '127.0.0.1', '::1'])

/**
 * Whether collectors read this host in-process instead of over SSH or MPI:
 * the reference's list (mlpstorage-spec.md §7.1), this machine's names.
 * Unlike the launch layer's isLocalHost, other loopback addresses
 * (127.0.0.2, ...) are endpoints like any other, which is how tests and the
 * bench play many hosts on one machine.
 */
export function isCollectedInProcess(name: string): boolean {
  const lower = name.toLowerCase()
  const self = hostname().toLowerCase()
  return LOCAL_NAMES.has(lower) || lower === self || lower === self.split('.')[0]
}

import {hostname, networkInterfaces} from 'node:os'

const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', '127.0.0.1', '::1'])

/**
 * Whether a host name means this machine, for every layer alike: launchers (the local launcher, srun's
 * `--nodelist`), engines that run here only, and collectors (read in-process rather than over SSH or
 * MPI). The reference's names (mlpstorage-spec.md §7.1), this machine's host name, and the addresses of
 * its interfaces. Other loopback addresses (127.0.0.2, ...) reach this machine too but are endpoints
 * like any other host, served by their own sshd: that is how tests and the bench play a cluster on one
 * machine, and a launcher given them really starts remote daemons there.
 */
export function isLocalHost(name: string): boolean {
  const lower = name.toLowerCase()
  if (LOCAL_NAMES.has(lower)) return true
  const own = hostname().toLowerCase()
  if (lower === own || lower === own.split('.')[0]) return true
  return Object.values(networkInterfaces()).some(addresses => addresses?.some(address => address.address.toLowerCase() === lower))
}

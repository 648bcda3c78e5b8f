import {hostname, networkInterfaces} from 'node:os'

/** Names and addresses that mean "this machine". */
export function isLocalHost(name: string): boolean {
  const lower = name.toLowerCase()
  if (lower === 'localhost' || lower === 'localhost.localdomain' || lower === '::1' || /^127\./.test(lower)) return true
  const own = hostname().toLowerCase()
  if (lower === own || lower === own.split('.')[0]) return true
  return Object.values(networkInterfaces()).some(addresses => addresses?.some(address => address.address.toLowerCase() === lower))
}

import {hostname} from 'node:os'
import type {HostSlot} from 'mlps'

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1'])

/** The native engine runs on this host only; these names mean this host. */
export function isLocalHost(host: HostSlot): boolean {
  return LOCAL_NAMES.has(host.name) || host.name === hostname() || host.name === hostname().split('.')[0]
}

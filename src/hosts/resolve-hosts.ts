import type {ResolvedConfig} from '../config/load-config.js'
import type {HostSlot} from '../lifecycle/run-context.js'
import {readHostfile} from './hostfile.js'
import {parseHosts} from './parse-hosts.js'

/** The hosts a command works on: --hostfile when given, else the resolved `hosts`, errors naming where they came from. */
export async function resolveHosts(resolved: ResolvedConfig, hostfile: string | undefined): Promise<HostSlot[]> {
  if (hostfile) return readHostfile(hostfile)
  return parseHosts(resolved.config.hosts, resolved.sources.get('hosts')?.kind === 'flag' ? '--hosts' : 'hosts')
}

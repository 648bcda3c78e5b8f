import type {ResolvedConfig} from '../config/load-config.js'
import {sourceOf} from '../config/provenance.js'
import type {HostSlot} from '../lifecycle/run-context.js'
import {readHostfile} from './hostfile.js'
import {parseHosts} from './parse-hosts.js'
import {type SlurmAllocation, slurmAllocation} from './slurm-allocation.js'

/** The hosts a command works on, and where they came from. */
export interface ResolvedHosts {
  hosts: HostSlot[]
  /** set when the hosts are the Slurm allocation's (none were given) */
  slurm?: SlurmAllocation
}

/**
 * The hosts a command works on: --hostfile when given, else `hosts` when set (flag, environment or
 * config file), else the nodes of the Slurm allocation this runs in, else the default (localhost).
 * Errors name where the hosts came from.
 */
export async function resolveHostsWithOrigin(resolved: ResolvedConfig, hostfile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedHosts> {
  if (hostfile) return {hosts: await readHostfile(hostfile)}
  const source = sourceOf('hosts', resolved.sources)
  if (source.kind === 'default') {
    const slurm = slurmAllocation(env)
    if (slurm) return {hosts: slurm.hosts, slurm}
  }
  return {hosts: parseHosts(resolved.config.hosts, source.kind === 'flag' ? '--hosts' : 'hosts')}
}

export async function resolveHosts(resolved: ResolvedConfig, hostfile: string | undefined): Promise<HostSlot[]> {
  return (await resolveHostsWithOrigin(resolved, hostfile)).hosts
}

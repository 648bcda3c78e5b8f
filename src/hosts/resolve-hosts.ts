import type {ResolvedConfig} from '../config/load-config.js'
import {sourceOf, type ValueSource} from '../config/provenance.js'
import type {HostsOrigin, HostSlot} from '../lifecycle/run-context.js'
import {readHostfile} from './hostfile.js'
import {parseHosts} from './parse-hosts.js'
import {type SlurmAllocation, slurmAllocation} from './slurm-allocation.js'

/** The hosts a command works on, and where they came from. */
export interface ResolvedHosts {
  hosts: HostSlot[]
  /** set when the hosts are the Slurm allocation's (none were given) */
  slurm?: SlurmAllocation
  origin: HostsOrigin
}

/**
 * The hosts a command works on: --hostfile when given, else `hosts` when set (flag, environment or
 * config file), else the nodes of the Slurm allocation this runs in, else the default (localhost).
 * Errors name where the hosts came from.
 */
export async function resolveHostsWithOrigin(resolved: ResolvedConfig, hostfile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedHosts> {
  if (hostfile) return {hosts: await readHostfile(hostfile), origin: {kind: 'given', where: '--hostfile', described: `--hostfile ${hostfile}`}}
  const source = sourceOf('hosts', resolved.sources)
  if (source.kind === 'default') {
    const slurm = slurmAllocation(env)
    if (slurm) {
      const variables = Object.entries(slurm.variables).map(([name, value]) => `${name}=${value}`).join(', ')
      return {hosts: slurm.hosts, slurm, origin: {kind: 'allocation', where: Object.keys(slurm.variables).at(-1)!, described: `the Slurm allocation (${variables})`}}
    }
  }
  const where = source.kind === 'flag' ? '--hosts' : 'hosts'
  return {hosts: parseHosts(resolved.config.hosts, where), origin: hostsOrigin(source, where)}
}

function hostsOrigin(source: ValueSource, where: string): HostsOrigin {
  switch (source.kind) {
    case 'flag': return {kind: 'given', where, described: '--hosts'}
    case 'env': return {kind: 'given', where: source.variable, described: source.variable}
    case 'file': return {kind: 'given', where, described: `hosts in ${source.file}`}
    case 'default': return {kind: 'default', where, described: 'the default host list (this machine)'}
  }
}

export async function resolveHosts(resolved: ResolvedConfig, hostfile: string | undefined): Promise<HostSlot[]> {
  return (await resolveHostsWithOrigin(resolved, hostfile)).hosts
}

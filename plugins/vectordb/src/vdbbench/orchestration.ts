import {join} from 'node:path'
import {type HostSlot, MlpsError, type RunContext} from 'mlps'
import {detectLauncher, isLocalHost, type LauncherInfo, placeRanks} from 'mlps/unstable'
import type {VdbbenchOptions} from '../options.js'
import type {VectordbRunOptions} from '@mlps/run-options'

export type Orchestration = 'local' | 'mpi' | 'ssh'

export interface HostShare {
  /** the host as the user named it */
  name: string
  /** query processes this host runs */
  processes: number
  /** `<leaf>/host_<name>`: the host's --output-dir and its stdout/stderr logs */
  outputDir: string
}

/** A host name as a folder name: `host_node01`, `host_10.0.0.5`, `host___1` for ::1. */
export function hostFolder(name: string): string {
  return `host_${name.replaceAll(/[^\w.-]/g, '_')}`
}

/**
 * Spread the query processes over the hosts as the reference spreads ranks
 * (mlpstorage-spec.md §3.4 generate_mpi_prefix_cmd, the core's placeRanks):
 * evenly, the remainder one each to the first hosts; with slots, round robin
 * within them. A host left with none runs nothing and gets no folder.
 */
export function hostShares(hosts: readonly HostSlot[], processes: number, leaf: string): HostShare[] {
  const folders = new Map<string, string>()
  for (const host of hosts) {
    const folder = hostFolder(host.name)
    const other = folders.get(folder)
    if (other !== undefined) {
      throw new MlpsError(`${other === host.name ? `${host.name} is listed twice` : `${other} and ${host.name} would share the output folder ${folder}`}`, {
        where: '--hosts', fix: 'list each host once; give it slots (e.g. node01:4) to run more query processes there',
      })
    }
    folders.set(folder, host.name)
  }
  return placeRanks(hosts, processes, '--hosts').hosts
    .filter(host => host.ranks > 0)
    .map(host => ({name: host.name, processes: host.ranks, outputDir: join(leaf, hostFolder(host.name))}))
}

/**
 * How the query run reaches the hosts: --orchestration, else
 * engines.vdbbench.orchestration, else local when every host is this
 * machine, mpi when a launcher is found, ssh otherwise (the reference's
 * VDB_ORCHESTRATION_MODES are ssh and mpi, mlpstorage-spec.md §3.1).
 * Returns the launcher too when mpi was chosen, so it is probed once.
 */
export async function chooseOrchestration(ctx: RunContext<VectordbRunOptions>): Promise<{mode: Orchestration; launcher?: LauncherInfo}> {
  const asked = ctx.options.orchestration
  const configured = (ctx.engineOptions as VdbbenchOptions).orchestration ?? 'auto'
  const mode = asked ?? (configured === 'auto' ? undefined : configured)
  const where = asked ? '--orchestration' : 'engines.vdbbench.orchestration'
  const remote = ctx.hosts.filter(host => !isLocalHost(host.name))
  if (mode === 'local') {
    if (remote.length > 0) {
      throw new MlpsError(`${where} is local, but the hosts include ${remote.map(host => host.name).join(', ')}`, {
        where, fix: 'use --orchestration mpi or ssh to run the query processes on those hosts, or drop them from --hosts',
      })
    }
    return {mode}
  }
  if (mode === 'ssh') return {mode}
  if (mode === undefined && remote.length === 0) return {mode: 'local'}
  const settings = ctx.config.launcher
  try {
    const launcher = await detectLauncher({type: settings.type, bin: settings.bin, numProcesses: Math.max(ctx.hosts.length, 2), hosts: ctx.hosts})
    if (launcher.kind !== 'local') return {mode: 'mpi', launcher}
    if (mode === 'mpi') throw new MlpsError('launcher.type is local, which cannot start a process on each host', {where: 'launcher.type', fix: 'set launcher.type to auto, openmpi, mpich or srun'})
  } catch (error) {
    if (mode === 'mpi') throw error
  }
  return {mode: 'ssh'}
}

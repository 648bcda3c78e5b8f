import {MlpsError} from '../errors.js'
import type {RankPlacement} from '../hosts/placement.js'
import type {LauncherInfo, LauncherSettings} from './launcher.js'

export interface MpiArgvInput {
  launcher: LauncherInfo
  placement: RankPlacement
  settings: LauncherSettings
  forwarded: readonly string[]
  isRoot: boolean
  /** inside a Slurm allocation (SLURM_JOB_ID is set): srun then places ranks on the allocation's nodes */
  insideAllocation: boolean
}

export const MAPPING_FLAGS = ['--map-by', '-map-by', '--npernode', '-npernode', '-N', '--ppr', '-ppr', '--pernode', '-pernode']
const BINDING_FLAGS = ['--bind-to', '-bind-to']

/** Whether the user's extra arguments already choose something (`--map-by x` or `--map-by=x`). */
export function userGives(extraArgs: readonly string[], flags: readonly string[]): boolean {
  return extraArgs.some(arg => flags.some(flag => arg === flag || arg.startsWith(`${flag}=`)))
}

/**
 * `mpirun` for Open MPI 4 and 5 (mlpstorage-spec.md §3.4 generate_mpi_prefix_cmd, engines.md §1.3):
 * `-n N -host h:s,...`, then `--bind-to none --map-by node` for several hosts or `--map-by socket` for
 * one, `--oversubscribe`, `--allow-run-as-root`, `-x NAME` per forwarded variable, the user's extra
 * arguments as given, and the program.
 *
 * Open MPI 5 (PRRTE) takes one mapping directive: `--oversubscribe` becomes the `:OVERSUBSCRIBE`
 * modifier of `--map-by`, `socket` is spelled `package`, and when the user brings their own mapping
 * (`--map-by ppr:4:node`, `--npernode`) mlps adds none, which is what clashed in the reference
 * (user-asks.md §1.2). Open MPI 4 gets the reference's flags unchanged.
 */
export function openMpiArgv(input: MpiArgvInput): string[] {
  const {placement, settings} = input
  const five = (input.launcher.major ?? 4) >= 5
  const hostList = placement.hosts.map(host => `${host.name}:${placement.slotsGiven ? host.slots : host.ranks}`).join(',')
  const multiHost = placement.hosts.length > 1
  const userMaps = userGives(settings.extraArgs, MAPPING_FLAGS)
  const userBinds = userGives(settings.extraArgs, BINDING_FLAGS)
  const argv = [input.launcher.bin ?? 'mpirun', '-n', String(placement.numProcesses), five ? '--host' : '-host', hostList]
  if (!userBinds) argv.push('--bind-to', 'none')
  if (five) {
    if (userMaps && settings.oversubscribe) {
      throw new MlpsError('launcher.oversubscribe cannot be combined with your own mapping on Open MPI 5, which takes a single --map-by', {
        where: 'launcher.extraArgs', fix: 'add :OVERSUBSCRIBE to your --map-by value (e.g. --map-by ppr:4:node:OVERSUBSCRIBE) and set launcher.oversubscribe to false',
      })
    }
    if (!userMaps) argv.push('--map-by', `${multiHost ? 'node' : 'package'}${settings.oversubscribe ? ':OVERSUBSCRIBE' : ''}`)
  } else {
    if (!userMaps) argv.push('--map-by', multiHost ? 'node' : 'socket')
    if (settings.oversubscribe) argv.push('--oversubscribe')
  }
  if (settings.allowRunAsRoot === 'always' || (settings.allowRunAsRoot === 'auto' && input.isRoot)) argv.push('--allow-run-as-root')
  for (const name of input.forwarded) argv.push('-x', name)
  argv.push(...settings.extraArgs)
  return argv
}

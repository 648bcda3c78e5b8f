import {MlpsError} from '../errors.js'
import {isLocalHost} from '../hosts/local-host.js'
import type {RankPlacement} from '../hosts/placement.js'
import type {MpiArgvInput} from './openmpi-argv.js'

/**
 * `srun`: `--ntasks=N --nodes=H --nodelist=a,b`, then how ranks are laid out: `--ntasks-per-node=k`
 * when every host runs k, `--distribution=cyclic` when the counts differ by one with the larger first
 * (the spread rule's shape); any other layout cannot be asked of srun without a host file, so it is
 * refused before anything runs. Hosts that are all this machine (the default) mean "where Slurm
 * runs us": inside an allocation that is the allocation's nodes, so only `--ntasks` is given and Slurm
 * places the ranks (pinning them all to one node was the defect); outside one, srun makes its own job
 * on one node. `--export=ALL` makes sure MLPS_RUN_ID and the allow-listed variables reach the ranks
 * whatever the site's SLURM_EXPORT_ENV says; `--overcommit` is Slurm's oversubscription.
 */
export function slurmArgv(input: MpiArgvInput): string[] {
  const {placement, settings} = input
  const used = placement.hosts.filter(host => host.ranks > 0)
  const argv = [input.launcher.bin ?? 'srun', `--ntasks=${placement.numProcesses}`]
  const here = used.every(host => isLocalHost(host.name))
  if (!(here && input.insideAllocation)) argv.push(...layout(used))
  argv.push('--export=ALL')
  if (settings.oversubscribe) argv.push('--overcommit')
  argv.push(...settings.extraArgs)
  return argv
}

function layout(used: RankPlacement['hosts']): string[] {
  const argv = [`--nodes=${used.length}`]
  // Slurm knows this machine by its own node name, not by "localhost"
  if (!used.every(host => isLocalHost(host.name))) argv.push(`--nodelist=${used.map(host => host.name).join(',')}`)
  const counts = used.map(host => host.ranks)
  if (counts.every(count => count === counts[0])) {
    argv.push(`--ntasks-per-node=${counts[0]}`)
  } else if (counts.every((count, i) => i === 0 || (count <= counts[i - 1] && counts[0] - count <= 1))) {
    argv.push('--distribution=cyclic')
  } else {
    throw new MlpsError(`srun cannot place ${counts.join('+')} ranks on ${used.map(host => host.name).join(', ')}`, {
      where: 'launcher.type', fix: 'give every host the same number of slots (or leave slots out), or use an MPI launcher (launcher.type: openmpi or mpich)',
    })
  }
  return argv
}

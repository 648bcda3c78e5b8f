import type {MpiArgvInput} from './openmpi-argv.js'

/**
 * `mpiexec` for MPICH's Hydra (and Hydra-based MVAPICH and Intel MPI): `-n N -hosts h:n,...`
 * (Hydra's host list with a process count per host), `-genvlist A,B` to pass variables by name, the
 * user's extra arguments as given, and the program. Hydra fills hosts in list order, so it is given the
 * placed rank counts rather than raw capacities; that spreads ranks as Open MPI's `--map-by node`
 * does. None of Open MPI's `--bind-to`, `--map-by`, `--oversubscribe` or `--allow-run-as-root` is
 * emitted: Hydra rejects them (mlpstorage-spec.md §12.1 item 14) and needs none of them.
 */
export function mpichArgv(input: MpiArgvInput): string[] {
  const {placement, settings} = input
  const hostList = placement.hosts.filter(host => host.ranks > 0).map(host => `${host.name}:${host.ranks}`).join(',')
  const argv = [input.launcher.bin ?? 'mpiexec', '-n', String(placement.numProcesses), '-hosts', hostList]
  if (input.forwarded.length > 0) argv.push('-genvlist', input.forwarded.join(','))
  argv.push(...settings.extraArgs)
  return argv
}

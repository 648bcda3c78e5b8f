import {randomUUID} from 'node:crypto'
import {type HostSnapshotRequest} from 'mlps'
import {buildLaunch, detectLauncher, type LauncherKind, type LaunchCommand} from 'mlps/unstable'
import {labelFlags} from './rank-output.js'

/**
 * A gatherer is a Slurm step beside the engine's: by default a step holds its CPUs, so a sampler running
 * for the whole run kept the engine's step waiting for ever (launch-lab.md). `--overlap` lets the
 * collector's steps share the allocation's CPUs with every other step.
 */
function shareFlags(kind: LauncherKind): string[] {
  return kind === 'slurm' ? ['--overlap'] : []
}

/**
 * The launch of one gatherer process per host through the core's launch
 * layer (src/launch): -n <hosts>, one slot per host, the launcher's own
 * dialect (Open MPI, MPICH, srun) and output labelled by rank. The program
 * is the constant sh gatherer passed as one argv element (`sh -c <program>`),
 * so nothing is parsed by a local shell.
 */
export async function gathererLaunch(request: HostSnapshotRequest, program: string): Promise<LaunchCommand> {
  const hosts = request.hosts.map(h => ({name: h.name, slots: 1}))
  const {launcher: settings} = request.config
  const launcher = await detectLauncher({type: settings.type, bin: settings.bin, numProcesses: hosts.length, hosts})
  return buildLaunch(launcher, {
    command: ['sh', '-c', program],
    numProcesses: hosts.length,
    hosts,
    runId: randomUUID(),
    settings: {...settings, extraArgs: [...labelFlags(launcher.kind), ...shareFlags(launcher.kind), ...settings.extraArgs]},
    hostsWhere: '--hosts',
  })
}

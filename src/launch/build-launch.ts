import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {hostsRoundRobin, placeRanks} from '../hosts/placement.js'
import {forwardedEnvironment, invalidAllowListEntries} from './env-forwarding.js'
import type {LaunchCommand, LauncherInfo, LaunchRequest} from './launcher.js'
import {isLocalHost} from '../hosts/local-host.js'
import {mpichArgv} from './mpich-argv.js'
import {MAPPING_FLAGS, openMpiArgv, userGives} from './openmpi-argv.js'
import {slurmArgv} from './slurm-argv.js'

function currentUserIsRoot(): boolean {
  return process.getuid?.() === 0
}

/**
 * The argv that starts `request.command` on every rank through `launcher`, in that launcher's own
 * dialect. Placement problems (too few slots) and settings the launcher cannot honour are errors here,
 * before anything runs.
 */
export function buildLaunch(launcher: LauncherInfo, request: LaunchRequest): LaunchCommand {
  if (request.command.length === 0) throw new Error('buildLaunch: empty command')
  const invalid = invalidAllowListEntries(request.settings.envAllowList)
  if (invalid.length > 0) {
    throw new MlpsError(`not variable names: ${invalid.map(entry => JSON.stringify(entry)).join(', ')}`, {
      where: 'launcher.envAllowList', fix: 'list names such as AWS_REGION, or a prefix such as S3_* (a trailing * only)',
    })
  }
  const placement = placeRanks(request.hosts, request.numProcesses, request.hostsWhere)
  const environment = forwardedEnvironment(request)
  const base = {launcher, env: environment.set, forwarded: environment.forwarded, notSet: environment.notSet, placement, runId: request.runId}
  if (launcher.kind === 'local') {
    const remote = placement.hosts.filter(host => host.ranks > 0 && !isLocalHost(host.name))
    if (remote.length > 0) {
      throw new MlpsError(`the local launcher runs on this machine only, but the hosts include ${remote.map(host => host.name).join(', ')}`, {
        where: 'launcher.type', exitCode: ExitCode.EnvironmentNotReady, fix: 'install an MPI (e.g. apt install openmpi-bin) or set launcher.type to openmpi, mpich or srun',
      })
    }
    if (request.numProcesses > 1) {
      throw new MlpsError(`the local launcher starts one process, but ${request.numProcesses} ranks are asked and no MPI launcher was found`, {
        where: 'launcher.type', exitCode: ExitCode.EnvironmentNotReady, fix: 'install an MPI (e.g. apt install openmpi-bin libopenmpi-dev) or ask for 1 process',
      })
    }
    return {...base, argv: [...request.command]}
  }
  const insideAllocation = Boolean((request.parentEnv ?? process.env).SLURM_JOB_ID)
  const input = {launcher, placement, settings: request.settings, forwarded: environment.forwarded, isRoot: request.isRoot ?? currentUserIsRoot(), insideAllocation}
  const prefix = launcher.kind === 'openmpi' ? openMpiArgv(input) : launcher.kind === 'mpich' ? mpichArgv(input) : slurmArgv(input)
  const ownMapping = launcher.kind === 'openmpi' && !userGives(request.settings.extraArgs, MAPPING_FLAGS)
  return {...base, argv: [...prefix, ...request.command], ...(ownMapping ? {rankHosts: hostsRoundRobin(placement)} : {})}
}

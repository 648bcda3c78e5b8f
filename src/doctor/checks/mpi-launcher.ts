import {MlpsError} from '../../errors.js'
import {detectLauncher} from '../../launch/detect-launcher.js'
import type {LauncherInfo} from '../../launch/launcher.js'
import {parseLauncherVersion} from '../../launch/version-text.js'
import type {CheckContext, CheckResult, PreflightCheck} from '../check.js'
import {installHint, SYSTEM_PACKAGES} from '../install-hints.js'

/** Whether this invocation cannot go without MPI: the mpi collector, an MPI launcher named in the config, or ranks on other hosts. */
function mpiRequired(ctx: CheckContext): boolean {
  const {launcher, collector} = ctx.config
  return collector === 'mpi' || ['openmpi', 'mpich', 'srun'].includes(launcher.type) || (ctx.mode === 'run' && ctx.hosts.some(h => !ctx.isLocal(h.name)))
}

function describe(info: LauncherInfo): string {
  return `${info.implementation ?? info.kind}${info.version ? ` ${info.version}` : ''}${info.bin ? ` (${info.bin})` : ''}`
}

function versionsOf(info: LauncherInfo): Record<string, string> {
  return {implementation: info.implementation ?? info.kind, ...(info.version ? {version: info.version} : {})}
}

/** The launcher this host would use: the same detection a run does (src/launch), asked for more than one rank so a missing MPI shows. */
async function localLauncher(ctx: CheckContext): Promise<LauncherInfo> {
  return detectLauncher({type: ctx.config.launcher.type, bin: ctx.config.launcher.bin, numProcesses: 2, hosts: [{name: 'localhost'}]})
}

/**
 * The MPI flavour and version (OpenMPI 4/5, MPICH/Hydra, Intel MPI, Slurm),
 * the same on every host (user-asks.md §1.2, §4 item 1).
 */
export const mpiLauncherCheck: PreflightCheck = {
  id: 'mlps.mpi',
  title: 'MPI launcher, flavour and version',
  runsOn: 'hosts',
  sameOnEveryHost: 'fail',
  appliesTo: ctx => ctx.mode !== 'run' || mpiRequired(ctx),
  async run(ctx, host): Promise<CheckResult> {
    if (ctx.config.launcher.type === 'local') return {status: 'ok', detail: 'launcher.type is local: ranks run on this host without MPI'}
    const missing = async (why: string): Promise<CheckResult> => ({
      status: mpiRequired(ctx) ? 'fail' : 'warn',
      detail: `${why}${mpiRequired(ctx) ? '' : '; engines that launch ranks through MPI and --collector mpi need one'}`,
      fix: `${installHint(await ctx.os(host), SYSTEM_PACKAGES.openmpi, 'Open MPI')}, or set launcher.bin`,
    })
    if (ctx.isLocal(host)) {
      try {
        const info = await localLauncher(ctx)
        return {status: 'ok', detail: describe(info), versions: versionsOf(info)}
      } catch (error) {
        if (error instanceof MlpsError) return missing(ctx.config.launcher.type === 'auto' && !ctx.config.launcher.bin ? 'no MPI launcher (mpirun or mpiexec) is on PATH' : error.message)
        throw error
      }
    }
    const here = await localLauncher(ctx).catch(() => undefined)
    const bin = here?.bin ?? ctx.config.launcher.bin ?? 'mpirun'
    const result = await ctx.shell(host).exec([bin, '--version'], {timeoutMs: 30_000, signal: ctx.signal})
    if (result.exitCode === undefined) return {status: 'skip', detail: `not evaluable: ${result.failure}`}
    const parsed = parseLauncherVersion(`${result.stdout}\n${result.stderr}`)
    if (!parsed) return missing(result.exitCode === 127 ? `${bin} was not found on ${host}` : `${bin} --version on ${host} names no known launcher`)
    const info = {...parsed, bin}
    return {status: 'ok', detail: describe(info), versions: versionsOf(info)}
  },
}

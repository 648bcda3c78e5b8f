import {join} from 'node:path'
import {type RunContext} from 'mlps'
import {buildLaunch, detectLauncher, type LaunchCommand, runLaunch, writeJsonAtomic, isLocalHost} from 'mlps/unstable'
import type {KvPass, KvRunPlan} from '../run-plan.js'
import {passFolder} from '../run-plan.js'
import type {RankInvocation} from './rank-argv.js'
import {RANK_SHIM} from './rank-shim.js'

/** Ranks go through an MPI launcher when a host is remote or the site config names one; else they start here directly. */
export function needsLauncher(ctx: RunContext): boolean {
  return ctx.config.launcher.type !== 'auto' && ctx.config.launcher.type !== 'local' || ctx.hosts.some(host => !isLocalHost(host.name))
}

const MAPPING_FLAGS = ['--map-by', '-map-by', '--npernode', '-npernode', '-N', '--ppr', '-ppr', '--pernode', '-pernode']

/**
 * Open MPI's placement of the KV ranks as the reference asks for it (engines.md §3.4: `--npernode N
 * --map-by node`), not the `--map-by socket` of a one-host DLIO run; Open MPI 5 spells it `--map-by
 * ppr:N:node`. A mapping of the user's own in launcher.extraArgs wins.
 */
function openMpiMapping(major: number | undefined, npernode: number, extraArgs: readonly string[]): string[] {
  if (extraArgs.some(arg => MAPPING_FLAGS.some(flag => arg === flag || arg.startsWith(`${flag}=`)))) return []
  return (major ?? 4) >= 5 ? ['--map-by', `ppr:${npernode}:node`] : ['--npernode', String(npernode), '--map-by', 'node']
}

/** The launcher argv that runs every rank's own kv-cache.py argv (through RANK_SHIM and the rank table). */
export async function rankLaunch(ctx: RunContext, python: string, rankTable: string, ranks: number, npernode: number): Promise<LaunchCommand> {
  const settings = ctx.config.launcher
  const launcher = await detectLauncher({type: settings.type, bin: settings.bin, numProcesses: ranks, hosts: ctx.hosts})
  // one failing rank must not take the others down (the reference adds the same, engines.md §3.4)
  const extraArgs = launcher.kind === 'openmpi'
    ? [...openMpiMapping(launcher.major, npernode, settings.extraArgs), ...settings.extraArgs, '--mca', 'orte_abort_on_non_zero_status', '0']
    : settings.extraArgs
  return buildLaunch(launcher, {
    command: [python, '-c', RANK_SHIM, rankTable], numProcesses: ranks, hosts: ctx.hosts, runId: ctx.runId,
    settings: {...settings, extraArgs}, hostsWhere: '--hosts',
  })
}

export interface LaunchedPass {
  argv: string[]
  exitCode: number | null
  signal: string | null
  failure?: string
  startedAt: string
  endedAt: string
}

/** Write the pass's rank table in its folder (on the shared results dir) and run all ranks through the launcher. */
export async function runRanksWithLauncher(ctx: RunContext, pass: KvPass, python: string, ranks: readonly RankInvocation[], logPrefix: string): Promise<LaunchedPass> {
  const table = join(ctx.leaf!, passFolder(pass), 'rank_argv.json')
  await writeJsonAtomic(table, {ranks: ranks.map(({rank, argv, outputDir, cacheDir}) => ({rank, argv, outputDir, cacheDir}))})
  const launch = await rankLaunch(ctx, python, table, ranks.length, (ctx.options as unknown as KvRunPlan).npernode)
  const outcome = await runLaunch(launch, {
    signal: ctx.signal, stdoutFile: join(ctx.leaf!, `${logPrefix}.stdout.log`), stderrFile: join(ctx.leaf!, `${logPrefix}.stderr.log`),
  })
  return {
    argv: launch.argv, exitCode: outcome.exitCode, signal: outcome.signal, startedAt: outcome.startedAt, endedAt: outcome.endedAt,
    failure: outcome.status === 'COMPLETED' ? undefined : `${outcome.reason ?? outcome.status} (${logPrefix}.stderr.log)`,
  }
}

import type {DlioRunOptions} from '@mlps/run-options'
import type {EnginePlan, RunContext} from 'mlps'
import {prepareDlio} from './dlio-prepare.js'

/** The dry run: exactly the argv and environment a run started now would use, and the leaf it would write. */
export async function planDlio(ctx: RunContext<DlioRunOptions>): Promise<EnginePlan> {
  const prepared = await prepareDlio(ctx)
  const {launch} = prepared
  const ranks = launch.placement.hosts.filter(host => host.ranks > 0)
  return {
    engine: 'dlio',
    summary: `${launch.launcher.kind} starts ${launch.placement.numProcesses} DLIO rank${launch.placement.numProcesses > 1 ? 's' : ''} of ${ctx.options.workloadName} on ${ranks.map(host => `${host.name}:${host.ranks}`).join(', ')}`,
    launcher: launch.launcher.kind,
    argv: launch.argv,
    env: prepared.recordedEnv,
    leaf: prepared.leaf,
    details: {
      launcherVersion: launch.launcher.version, launcherImplementation: launch.launcher.implementation, placement: launch.placement.hosts,
      dlioArgv: prepared.dlioArgv, configDir: prepared.configDir, writesConfigDir: prepared.writesConfigDir,
      dlioFound: prepared.binary.path !== undefined,
    },
  }
}

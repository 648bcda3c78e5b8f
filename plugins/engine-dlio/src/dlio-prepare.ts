import {resolve} from 'node:path'
import type {DlioRunOptions} from '@mlps/run-options'
import {type RunContext} from 'mlps'
import {buildLaunch, detectLauncher, type LaunchCommand, plannedLeaf, recordedEnvironment} from 'mlps/unstable'
import {dlioArgv} from './dlio-argv.js'
import {DLIO_BIN_NAME, type DlioBinary, resolveDlioBinary} from './dlio-binary.js'
import {configDirIn} from './dlio-config-dir.js'
import {type DlioOptions, DlioOptionsSchema} from './dlio-options.js'
import {dlioOverrides} from './dlio-overrides.js'
import {dlioObjectStorage} from './object-storage.js'

export interface PreparedDlio {
  options: DlioOptions
  binary: DlioBinary
  leaf: string
  configDir: string
  /** true when mlps writes the config dir into the leaf (no engines.dlio.configDir) */
  writesConfigDir: boolean
  dlioArgv: string[]
  launch: LaunchCommand
  /** the environment as recorded: what mlps set and forwarded, secrets masked */
  recordedEnv: Record<string, string>
}

export function dlioOptions(ctx: RunContext): DlioOptions {
  return DlioOptionsSchema.parse(ctx.engineOptions)
}


/**
 * Everything a DLIO run needs, computed the same way for the dry run and the real one: the binary,
 * the launcher and its argv, DLIO's argv and the environment. Nothing is written or started here;
 * the object-storage keys mlps sets are recorded as tool-injected, where the rules look for them.
 */
export async function prepareDlio(ctx: RunContext<DlioRunOptions>): Promise<PreparedDlio> {
  const options = dlioOptions(ctx)
  const objectStorage = dlioObjectStorage(ctx, options)
  if (objectStorage) Object.assign(ctx.parameters.toolInjected, objectStorage.params)
  const flagBin = ctx.options.dlioBin
  const binary = await resolveDlioBinary(flagBin, options.bin)
  const leaf = plannedLeaf(ctx)
  const configDir = options.configDir ? resolve(options.configDir) : configDirIn(leaf)
  const numProcesses = ctx.numProcesses ?? 1
  const argv = dlioArgv({
    // a dry run may plan a DLIO that is not installed yet: it shows the name that would be looked up
    bin: binary.path ?? flagBin ?? options.bin ?? DLIO_BIN_NAME,
    workloadName: ctx.options.workloadName,
    runDir: leaf,
    configDir,
    overrides: dlioOverrides({
      userOverrides: ctx.parameters.userOverrides,
      toolInjected: ctx.parameters.toolInjected,
      baseWorkload: ctx.options.baseWorkload, workload: ctx.options.workload,
    }),
  })
  const hostsWhere = ctx.record.invocation.argv.includes('--hostfile') ? '--hostfile' : ctx.resolvedConfig.sources.get('hosts')?.kind === 'flag' ? '--hosts' : 'hosts'
  const launcher = await detectLauncher({type: ctx.config.launcher.type, bin: ctx.config.launcher.bin, numProcesses, hosts: ctx.hosts})
  const settings = objectStorage
    ? {...ctx.config.launcher, envAllowList: [...new Set([...ctx.config.launcher.envAllowList, ...objectStorage.forwarded])]}
    : ctx.config.launcher
  // the endpoint the preflight checked is the one DLIO gets, whatever engines.dlio.env says
  const env = objectStorage ? {...options.env, ...objectStorage.env} : options.env
  const launch = buildLaunch(launcher, {command: argv, numProcesses, hosts: ctx.hosts, runId: ctx.runId, env, settings, hostsWhere})
  return {
    options, binary, leaf, configDir, writesConfigDir: !options.configDir, dlioArgv: argv, launch,
    recordedEnv: recordedEnvironment(launch.env, launch.forwarded),
  }
}

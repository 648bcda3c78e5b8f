import type {Config} from '@oclif/core'
import type {MlpsConfig} from '../config/schema.js'
import type {Registry} from '../registry/registry.js'
import {createProgress, resolveProgressMode} from '../ux/progress.js'
import {checkCollector} from './choose-collector.js'
import {type CheckPlan, mlpsIdentity} from './run-checks.js'

/**
 * What a command's check run (doctor, lockfile) takes from the CLI: the running mlps and its plugins,
 * the collector that reaches other hosts, and progress as the config and --json want it.
 */
export function cliCheckPlan(cli: Config, registry: Registry, config: MlpsConfig, json: boolean): Pick<CheckPlan, 'mlps' | 'collector' | 'progress'> {
  return {
    mlps: mlpsIdentity(cli.version, Object.fromEntries(cli.getPluginsList().map(plugin => [plugin.name, plugin.version]))),
    collector: checkCollector(registry, config),
    progress: createProgress({mode: resolveProgressMode(config.progress, json)}),
  }
}

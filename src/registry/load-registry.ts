import type {Config} from '@oclif/core'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {PluginContribution} from './definitions.js'
import {createRegistry} from './core-contribution.js'
import type {Registry} from './registry.js'

export const REGISTER_EVENT = 'mlps:register'

declare module '@oclif/core/hooks' {
  interface Hooks {
    'mlps:register': {options: {registry: Registry}; return: PluginContribution | undefined}
  }
}

const registries = new WeakMap<Config, Promise<Registry>>()

/**
 * The registry for this process, built on first use: the `mlps:register`
 * event runs once, so `--help`, `--version` and `plugins` never load plugin
 * code. A plugin whose hook throws is a loud error, not a silent gap
 * (oclif's runHook would otherwise swallow it and exit 0).
 */
export function getRegistry(config: Config): Promise<Registry> {
  let registry = registries.get(config)
  if (!registry) {
    registry = buildRegistry(config)
    registries.set(config, registry)
  }
  return registry
}

async function buildRegistry(config: Config): Promise<Registry> {
  const registry = createRegistry()
  const {successes, failures} = await config.runHook(REGISTER_EVENT, {registry}, undefined, true)
  if (failures.length > 0) {
    const lines = failures.map(({plugin, error}) => `  ${plugin.name}: ${error.message}`)
    throw new MlpsError(`plugin registration failed:\n${lines.join('\n')}`, {
      exitCode: ExitCode.EnvironmentNotReady,
      fix: `reinstall or remove the plugin: mlps plugins uninstall ${failures[0].plugin.name}`,
    })
  }
  const contributions = successes
    .filter(success => success.result !== undefined)
    .sort((a, b) => a.plugin.name.localeCompare(b.plugin.name))
  for (const {plugin, result} of contributions) registry.add(plugin.name, result as PluginContribution)
  registry.applyAll()
  return registry
}

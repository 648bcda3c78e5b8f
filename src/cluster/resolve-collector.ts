import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {CollectorDefinition} from '../registry/definitions.js'
import type {Registry} from '../registry/registry.js'
import {localCollector} from './local-collector.js'

const PLUGIN_FOR: Record<string, string> = {ssh: '@mlps/plugin-collector-ssh', mpi: '@mlps/plugin-collector-mpi'}

/** The collector of that name: a plugin's, or the core's own `local`. */
export function findCollector(registry: Registry, name: string): CollectorDefinition | undefined {
  return registry.collectors.get(name)?.definition ?? (name === 'local' ? localCollector : undefined)
}

export function requireCollector(registry: Registry, name: string, where = '--collector'): CollectorDefinition {
  const found = findCollector(registry, name)
  if (found) return found
  const available = ['local', ...registry.collectors.keys()].filter((n, i, all) => all.indexOf(n) === i)
  throw new MlpsError(`no collector named "${name}" is installed`, {
    where, exitCode: ExitCode.EnvironmentNotReady,
    fix: PLUGIN_FOR[name] ? `install it (mlps plugins install ${PLUGIN_FOR[name]}) or use one of: ${available.join(', ')}` : `use one of: ${available.join(', ')}`,
  })
}

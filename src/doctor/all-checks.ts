import type {Registry} from '../registry/registry.js'
import type {PreflightCheck} from './check.js'

/** Every check in the registry: the core's contribution first, then the plugins', in registration order. */
export function allChecks(registry: Registry): PreflightCheck[] {
  return [...registry.checks.values()].map(({definition}) => definition)
}

/** The engines that may run: the named one, else those serving the benchmark (and command), else every engine. */
export function candidateEngines(registry: Registry, target: {engine?: string; benchmark?: string; command?: string}): string[] {
  if (target.engine) return [target.engine]
  return [...registry.engines.values()].map(({definition}) => definition)
    .filter(engine => !target.benchmark || (engine.supports[target.benchmark] ?? []).some(command => !target.command || command === target.command))
    .map(engine => engine.name)
}

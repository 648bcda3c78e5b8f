import {findCollector} from '../cluster/resolve-collector.js'
import type {MlpsConfig} from '../config/schema.js'
import type {CollectorDefinition} from '../registry/definitions.js'
import type {Registry} from '../registry/registry.js'

/**
 * The collector whose snapshot the checks read for other hosts: the
 * configured one when it reaches other hosts (ssh, mpi), else ssh, which the
 * per-host checks use anyway.
 */
export function checkCollector(registry: Registry, config: MlpsConfig): CollectorDefinition | undefined {
  if (config.collector === 'ssh' || config.collector === 'mpi') return findCollector(registry, config.collector) ?? findCollector(registry, 'ssh')
  return findCollector(registry, 'ssh')
}

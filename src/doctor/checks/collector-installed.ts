import {findCollector} from '../../cluster/resolve-collector.js'
import type {Registry} from '../../registry/registry.js'
import type {CheckResult, PreflightCheck} from '../check.js'

/** The collector `config.collector` names, among those the registry holds (the core's `local` and the plugins'). */
export function collectorInstalledCheck(registry: Registry): PreflightCheck {
  return {
    id: 'cluster.collector',
    title: 'the configured cluster collector is installed',
    runsOn: 'invocation',
    async run(ctx): Promise<CheckResult> {
      const name = ctx.config.collector
      if (name === 'none') return {status: 'ok', detail: 'collector none: no cluster facts are collected'}
      const found = findCollector(registry, name)
      if (found) return {status: 'ok', detail: `collector "${name}": ${found.description}`}
      return {
        status: 'fail', detail: `collector "${name}" is not installed`,
        fix: `install @mlps/plugin-collector-${name}, or choose another with --collector (local, ssh, mpi, none)`,
      }
    },
  }
}

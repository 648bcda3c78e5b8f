import {tapClusterCollection} from '../cluster/cluster-taps.js'
import {collectorInstalledCheck} from '../doctor/checks/collector-installed.js'
import {coreChecks} from '../doctor/checks/index.js'
import {fsSeparationCheck} from '../doctor/checks/fs-separation.js'
import {tapPreflightChecks} from '../doctor/preflight-tap.js'
import {tapEngine, tapRules} from '../lifecycle/core-taps.js'
import {tapFsSeparationRecord} from '../results/fs-separation-tap.js'
import {tapSystemDescription} from '../results/system-description-tap.js'
import {objectStorageChecks} from '../storage/object-storage-checks.js'
import {tapStorageRecord} from '../storage/storage-record-tap.js'
import type {PluginContribution} from './definitions.js'
import {Registry} from './registry.js'

/** The name the core's own contribution is registered under, as a plugin's is under its package name. */
export const CORE_PLUGIN = 'mlps'

/**
 * The core's own features, contributed as a plugin's are: its checks, the
 * collectors' snapshots and sampler, the preflight checks before a run, the
 * engine inside `run` and the rules edition inside `verify`.
 */
export function coreContribution(registry: Registry): PluginContribution {
  return {
    apiVersion: 1,
    checks: [...coreChecks, collectorInstalledCheck(registry), fsSeparationCheck(registry), ...objectStorageChecks(registry)],
    apply(lifecycle) {
      tapStorageRecord(registry, lifecycle)
      tapClusterCollection(registry, lifecycle)
      tapPreflightChecks(registry, lifecycle)
      tapFsSeparationRecord(lifecycle)
      tapSystemDescription(registry, lifecycle)
      tapEngine(lifecycle)
      tapRules(registry, lifecycle)
    },
  }
}

/** A registry holding the core's contribution, first, so plugins' contributions follow it. */
export function createRegistry(): Registry {
  const registry = new Registry()
  registry.add(CORE_PLUGIN, coreContribution(registry))
  return registry
}

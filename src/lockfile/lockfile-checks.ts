import type {Config} from '@oclif/core'
import type {MlpsConfig} from '../config/schema.js'
import type {CheckRow} from '../doctor/check.js'
import {allChecks, candidateEngines} from '../doctor/all-checks.js'
import {cliCheckPlan} from '../doctor/cli-check-plan.js'
import {runChecks} from '../doctor/run-checks.js'
import type {HostSlot} from '../lifecycle/run-context.js'
import type {Registry} from '../registry/registry.js'

/** The versions a lockfile records, read on each host: every installed engine's checks in lockfile mode, as rows. */
export function runLockfileChecks(cli: Config, registry: Registry, hosts: readonly HostSlot[], config: MlpsConfig, json: boolean): Promise<CheckRow[]> {
  return runChecks(allChecks(registry), {mode: 'lockfile', engines: candidateEngines(registry, {}), hosts, config, ...cliCheckPlan(cli, registry, config, json)})
}

import {startSnapshotOf} from '../cluster/cluster-taps.js'
import {type Lifecycle, LifecycleStage} from '../lifecycle/lifecycle.js'
import type {Registry} from '../registry/registry.js'
import {describeSystem, systemDescriptionTarget} from './system-description.js'

/**
 * At setup, right after the collector's start snapshot: the configured rules
 * edition writes the system description from the client hosts' facts on the
 * system's first run; on later runs the facts are compared with the file and
 * every difference is a finding. Like collection, it never fails a run.
 */
export function tapSystemDescription(registry: Registry, lifecycle: Lifecycle): void {
  lifecycle.setup.tapPromise({name: 'mlps:systemDescription', stage: LifecycleStage.Environment + 1}, async ctx => {
    const format = registry.edition(ctx.config.rulesEdition)?.systemDescription
    if (!format) return
    const target = systemDescriptionTarget(ctx.config, ctx.division)
    const snapshot = startSnapshotOf(ctx)
    if (!snapshot || snapshot.hosts.length === 0) {
      ctx.addFinding({ruleId: 'mlps.system.description', severity: 'info', notEvaluable: true, kind: 'environment',
        message: `no cluster facts were collected, so ${target.file} was neither written nor compared`, fix: 'run with a collector (--collector local, ssh or mpi)'})
      return
    }
    try {
      const outcome = await describeSystem(format, target, snapshot.hosts)
      ctx.record.extra.systemDescription = {file: outcome.file, created: outcome.created}
      if (outcome.created) ctx.log.info(`system description written: ${outcome.file} (fill in its placeholders; mlps system check names them)`)
      else for (const finding of outcome.findings) ctx.addFinding(finding)
    } catch (error) {
      ctx.addFinding({ruleId: 'mlps.system.description', severity: 'warn', kind: 'environment',
        message: `the system description ${target.file} could not be written or read: ${(error as Error).message}`, fix: 'check the permissions of the results dir'})
    }
  })
}

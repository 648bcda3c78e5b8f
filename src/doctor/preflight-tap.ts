import {type Lifecycle, LifecycleStage} from '../lifecycle/lifecycle.js'
import type {RunContext} from '../lifecycle/run-context.js'
import {renderDifference} from '../lockfile/compare-lock.js'
import {readLockfile} from '../lockfile/read-lockfile.js'
import {VERIFY_LOCKFILE_STATE, verifyAgainstLock} from '../lockfile/verify-lock.js'
import type {Registry} from '../registry/registry.js'
import type {RecordedCheck} from '../results/run-record.js'
import {allChecks} from './all-checks.js'
import type {CheckRow} from './check.js'
import {rowsToFindings} from './check-findings.js'
import {checkCollector} from './choose-collector.js'
import {mlpsIdentity, runChecks} from './run-checks.js'

const TAP = 'mlps:doctor'

/**
 * In preValidate, before anything starts: every check that concerns the run
 * (its benchmark, command, engine, hosts, options), on every host in
 * parallel, each problem a Finding (fail → error, so the run stops with exit 3
 * for the environment or 2 for its input, all problems listed at once); then
 * `--verify-lockfile`. Every check's outcome, passed or skipped, goes into
 * the record. It runs after the plugins' own preValidate taps, so what they
 * prepare on the context is there for the checks to read.
 */
export function tapPreflightChecks(registry: Registry, lifecycle: Lifecycle): void {
  lifecycle.preValidate.tapPromise({name: TAP, stage: LifecycleStage.Derived}, async ctx => {
    const skip = new Set(ctx.config.preflight.skip)
    const checks = allChecks(registry)
    const skipped = checks.filter(check => skip.has(check.id))
    for (const check of skipped) {
      ctx.addFinding({ruleId: check.id, severity: 'warn', kind: 'environment', notEvaluable: true,
        message: `not checked: ${check.title} is in preflight.skip of the configuration`, fix: 'remove it from preflight.skip to have it checked'})
    }
    const rows = await runChecks(checks.filter(check => !skip.has(check.id)), {
      mode: 'run', benchmark: ctx.benchmark, command: ctx.command, model: ctx.model, engines: ctx.engine ? [ctx.engine.name] : [],
      hosts: ctx.hosts, config: ctx.config, run: ctx, mlps: mlpsIdentity(ctx.record.mlps.version, ctx.record.mlps.plugins),
      signal: ctx.signal, collector: checkCollector(registry, ctx.config), progress: ctx.progress,
    })
    ctx.state.set(TAP, rows)
    ctx.record.checks = [...rows.map(recordedCheck), ...skipped.map(check => ({
      check: check.id, title: check.title, status: 'skip' as const, detail: 'not checked: in preflight.skip of the configuration', skippedByConfig: true as const,
      ...(check.engine ? {engine: check.engine} : {}),
    }))]
    for (const finding of rowsToFindings(rows)) ctx.addFinding(finding)
    await verifyLockfileTap(ctx, rows)
  })
}

function recordedCheck({check, title, host, status, detail, fix, engine, versions}: CheckRow): RecordedCheck {
  return {check, title, host, status, detail, ...(fix ? {fix} : {}), ...(engine ? {engine} : {}), ...(versions ? {versions} : {})}
}

async function verifyLockfileTap(ctx: RunContext, rows: readonly CheckRow[]): Promise<void> {
  const path = ctx.state.get(VERIFY_LOCKFILE_STATE)
  if (typeof path !== 'string') return
  const lock = await readLockfile(path, '--verify-lockfile')
  const differences = verifyAgainstLock(lock, rows, ctx.hosts.map(h => h.name), true)
  ctx.record.extra.lockfile = {file: path, differences}
  if (differences.length === 0) return
  ctx.addFinding({
    ruleId: 'mlps.lockfile', severity: 'error', kind: 'environment',
    message: `${differences.length} difference(s) from ${path}:\n      ${differences.map(renderDifference).join('\n      ')}`,
    fix: `install the recorded versions on every host, or record this environment: mlps lockfile generate --output ${path}`,
    evidence: [{file: path, value: differences}],
  })
}

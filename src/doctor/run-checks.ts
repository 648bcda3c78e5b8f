import {setMaxListeners} from 'node:events'
import {hostname} from 'node:os'
import {isLocalHost} from '../hosts/local-host.js'
import type {ClusterSnapshot} from '../cluster/host-facts.js'
import {writeSharedFsProbe} from '../cluster/shared-fs-probe.js'
import type {MlpsConfig} from '../config/schema.js'
import type {HostSlot, RunContext} from '../lifecycle/run-context.js'
import type {CollectorDefinition} from '../registry/definitions.js'
import type {Progress} from '../ux/progress.js'
import type {CheckContext, CheckMode, CheckResult, CheckRow, CheckStatus, MlpsIdentity, PreflightCheck} from './check.js'
import {type HostShell, localShell, sshShell} from './host-shell.js'
import {nearestExistingDir} from './nearest-dir.js'
import {detectLocalOs, type OsInfo, parseOsRelease} from './os-detect.js'
import {mapWithConcurrency} from '../util/map-with-concurrency.js'

export interface CheckPlan {
  mode: CheckMode
  benchmark?: string
  command?: string
  model?: string
  engines: readonly string[]
  hosts: readonly HostSlot[]
  config: MlpsConfig
  run?: RunContext
  mlps: MlpsIdentity
  signal?: AbortSignal
  /** takes the snapshot (reachability, clocks, the shared results dir) when some host is not this one */
  collector?: CollectorDefinition
  progress?: Progress
}

/** How long one check may take on one host before it is reported as not evaluable. */
const CHECK_TIMEOUT_MS = 120_000
/** (check, host) pairs run at once: enough to overlap SSH round trips, few enough for a 2-core controller */
const CONCURRENCY = 16

const RANK: Record<CheckStatus, number> = {ok: 0, skip: 1, warn: 2, fail: 3}

/** Whether `check` concerns this invocation, whatever the mode: its engine may run, its benchmark and command are this one's, its own test passes. */
function concernsTarget(check: PreflightCheck, ctx: CheckContext): boolean {
  if (check.engine && !ctx.engines.includes(check.engine)) return false
  if (check.benchmark && ctx.benchmark && check.benchmark !== ctx.benchmark) return false
  if (check.commands && ctx.command && !check.commands.includes(ctx.command)) return false
  return true
}

/** Whether `check` runs in this invocation: it concerns it, and this mode has what it reads. */
export function checkApplies(check: PreflightCheck, ctx: CheckContext): boolean {
  if (!concernsTarget(check, ctx)) return false
  if (check.modes && !check.modes.includes(ctx.mode)) return false
  return check.appliesTo?.(ctx) ?? true
}

/** In `mlps doctor`, a check that reads what only a run has is listed, as not evaluable, rather than left out. */
function needsRun(check: PreflightCheck, ctx: CheckContext): boolean {
  return ctx.mode === 'doctor' && concernsTarget(check, ctx) && check.modes !== undefined && !check.modes.includes('doctor') && check.modes.includes('run')
}

/**
 * Run every applicable check, on the controller or on every host, all in
 * parallel, and return one row per (check, host): nothing stops at the first
 * problem, so a report lists them all.
 */
export async function runChecks(checks: readonly PreflightCheck[], plan: CheckPlan): Promise<CheckRow[]> {
  const ctx = createCheckContext(plan)
  const applicable = checks.filter(check => checkApplies(check, ctx))
  const controller = plan.hosts.find(h => isLocalHost(h.name))?.name ?? hostname()
  const jobs = applicable.flatMap(check => (check.runsOn === 'hosts' ? plan.hosts.map(h => h.name) : [controller]).map(host => ({check, host})))
  plan.progress?.stage('Checking environment')
  let done = 0
  const rows = await mapWithConcurrency(jobs, CONCURRENCY, async ({check, host}): Promise<CheckRow> => {
    const result = await runOne(check, ctx, host)
    plan.progress?.update({done: ++done, total: jobs.length, unit: 'items'})
    return rowOf(check, host, result)
  })
  plan.progress?.done()
  for (const check of applicable) if (check.sameOnEveryHost) holdToReference(rows.filter(row => row.check === check.id), controller, check.sameOnEveryHost)
  const waiting = checks.filter(check => needsRun(check, ctx)).map(check => ({...rowOf(check, controller, {status: 'skip', detail: `needs a run: evaluated when ${runOfCheck(check)} starts`}), needsRun: true as const}))
  return [...rows, ...waiting]
}

/** The runs a check is evaluated in, as a person would say it: "a <benchmark> datagen or run", "a run with the <engine> engine". */
function runOfCheck(check: PreflightCheck): string {
  if (check.benchmark) return `a ${check.benchmark} ${check.commands?.join(' or ') ?? 'run'}`
  return check.engine ? `a run with the ${check.engine} engine` : 'a benchmark run'
}

function rowOf(check: PreflightCheck, host: string, result: CheckResult): CheckRow {
  return {check: check.id, title: check.title, host, ...(check.engine ? {engine: check.engine} : {}), ...(check.runsOn === 'invocation' ? {invocation: true as const} : {}), ...result}
}

async function runOne(check: PreflightCheck, ctx: CheckContext, host: string): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<CheckResult>(resolve => {
    timer = setTimeout(() => resolve({status: 'skip', detail: `not evaluable: the check did not finish within ${CHECK_TIMEOUT_MS / 1000} s`}), CHECK_TIMEOUT_MS)
    timer.unref()
  })
  try {
    return await Promise.race([check.run(ctx, host), timeout])
  } catch (error) {
    return {status: 'skip', detail: `not evaluable: the check failed: ${(error as Error)?.message ?? String(error)}`}
  } finally {
    clearTimeout(timer)
  }
}

/** Rows whose versions differ from the reference host's get `status` and say what differs. */
function holdToReference(rows: CheckRow[], controller: string, status: 'warn' | 'fail'): void {
  const withVersions = rows.filter(row => row.versions && row.status !== 'skip')
  const reference = withVersions.find(row => row.host === controller) ?? withVersions[0]
  if (!reference || withVersions.length < 2) return
  for (const row of withVersions) {
    if (row === reference) continue
    const names = [...new Set([...Object.keys(reference.versions!), ...Object.keys(row.versions!)])].sort()
    const differences = names.filter(name => reference.versions![name] !== row.versions![name])
      .map(name => `${name} ${row.versions![name] ?? 'absent'} here, ${reference.versions![name] ?? 'absent'} on ${reference.host}`)
    if (differences.length === 0) continue
    if (RANK[status] > RANK[row.status]) row.status = status
    row.detail = `${row.detail}; differs from ${reference.host}: ${differences.slice(0, 8).join('; ')}${differences.length > 8 ? `; and ${differences.length - 8} more` : ''}`
    row.fix ??= `install the same versions, at the same paths, on every host (as on ${reference.host})`
  }
}

function createCheckContext(plan: CheckPlan): CheckContext {
  const signal = plan.signal ? AbortSignal.any([plan.signal]) : new AbortController().signal
  // every check on every host listens to it at once (a process each): many listeners by design, not a leak to warn of
  setMaxListeners(0, signal)
  const remote = plan.hosts.some(h => !isLocalHost(h.name))
  let snapshot: Promise<ClusterSnapshot | undefined> | undefined
  const cluster = () => {
    snapshot ??= remote && plan.collector ? takeSnapshot(plan.collector, plan, signal) : Promise.resolve(undefined)
    return snapshot
  }
  const shells = new Map<string, HostShell>()
  const oses = new Map<string, Promise<OsInfo>>()
  const facts = new Map<string, Promise<unknown>>()
  const shell = (host: string): HostShell => {
    let found = shells.get(host)
    if (!found) {
      found = isLocalHost(host) ? localShell(host) : reachableOnly(sshShell(host, plan.config), cluster)
      shells.set(host, found)
    }
    return found
  }
  return {
    mode: plan.mode, benchmark: plan.benchmark, command: plan.command, model: plan.model, engines: plan.engines,
    hosts: plan.hosts, config: plan.config, run: plan.run, mlps: plan.mlps, signal,
    isLocal: isLocalHost,
    shell,
    os(host) {
      let found = oses.get(host)
      if (!found) {
        found = isLocalHost(host) ? detectLocalOs() : remoteOs(shell(host))
        oses.set(host, found)
      }
      return found
    },
    cluster,
    shared<T>(key: string, gather: () => Promise<T>): Promise<T> {
      let found = facts.get(key)
      if (!found) {
        found = gather()
        facts.set(key, found)
      }
      return found as Promise<T>
    },
  }
}

/** A remote shell that does not knock on a host the snapshot already found unreachable. */
function reachableOnly(shell: HostShell, cluster: () => Promise<ClusterSnapshot | undefined>): HostShell {
  return {
    ...shell,
    async exec(argv, options) {
      const missing = (await cluster())?.missing.find(m => m.host === shell.host)
      if (missing) return {stdout: '', stderr: '', failure: `${shell.host} could not be reached (${missing.reason}): ${missing.message}`}
      return shell.exec(argv, options)
    },
  }
}

async function remoteOs(shell: HostShell): Promise<OsInfo> {
  const result = await shell.exec(['sh', '-c', 'uname -s; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null'], {timeoutMs: 30_000})
  if (result.failure || result.exitCode === undefined) return {family: 'unknown', id: null, versionId: null, prettyName: null}
  const [system, ...rest] = result.stdout.split('\n')
  if (system.trim() === 'Darwin') return {family: 'macos', id: 'macos', versionId: null, prettyName: 'macOS'}
  return parseOsRelease(rest.join('\n'))
}

/** One snapshot of the hosts, with a probe file in the results dir (its nearest existing folder) to see who shares it. */
async function takeSnapshot(collector: CollectorDefinition, plan: CheckPlan, signal: AbortSignal): Promise<ClusterSnapshot | undefined> {
  plan.progress?.stage('Collecting cluster facts')
  const dir = await nearestExistingDir(plan.config.resultsDir)
  const probe = dir ? await writeSharedFsProbe(dir).catch(() => undefined) : undefined
  try {
    return await collector.snapshot({hosts: [...plan.hosts], config: plan.config, signal, probe})
  } finally {
    await probe?.remove()
  }
}

/** The running mlps, as `ctx.record.mlps` and oclif's config describe it. */
export function mlpsIdentity(version: string, plugins: Record<string, string>): MlpsIdentity {
  return {version, plugins, node: process.execPath, bin: process.argv[1] ?? ''}
}


import {mkdir} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {type EngineResult, type ExecutedCommand, type MetricValue, type RunContext} from 'mlps'
import {buildLaunch, type LaunchCommand, type LauncherInfo, type LaunchOutcome, runLaunch, shellWord, sshArgv, writeJsonAtomic} from 'mlps/unstable'
import type {VdbbenchOptions} from '../options.js'
import type {VectordbRunOptions} from '@mlps/run-options'
import {MILVUS_CREDENTIAL_VARIABLES} from './milvus-credentials.js'
import {combineHostStatistics} from './combine-hosts.js'
import {HOST_SHIM} from './host-shim.js'
import {type HostShare, hostShares, type Orchestration} from './orchestration.js'
import {readRunOutputs} from './run-outputs.js'
import {queryArgv, type ScriptLocation} from './vdbbench-argv.js'
import {statisticsMetrics, summaryOf} from './vdbbench-statistics.js'
import {groundTruthComplete} from './vdbbench-verdict.js'

export const HOST_STDOUT = 'vector_database_run.stdout.log'
export const HOST_STDERR = 'vector_database_run.stderr.log'
export const HOST_TABLE = 'host_argv.json'

export interface HostInvocation extends HostShare {
  /** vdbbench's argv on that host */
  argv: string[]
  /** ssh: the OpenSSH client's argv that runs it there */
  sshArgv?: string[]
}

export interface HostRunPlan {
  mode: Exclude<Orchestration, 'local'>
  hosts: HostInvocation[]
  /** mpi: the launcher argv that starts one shim rank per host */
  launch?: LaunchCommand
}

/**
 * Every host's own vdbbench argv: its share of --num-query-processes and its own output folder.
 * Only the first host may build the FLAT ground-truth collection: started together, the others
 * would race to create the same collection (they pass --no-create-flat, engines.md §4.3, and
 * compute recall when it already exists).
 */
function invocations(ctx: RunContext<VectordbRunOptions>, location: ScriptLocation, leaf: string): HostInvocation[] {
  const {options} = ctx
  return hostShares(ctx.hosts, options.processes, leaf).map((share, index) => ({
    ...share, argv: [...queryArgv({...options, processes: share.processes}, location, share.outputDir), ...(index > 0 ? ['--no-create-flat'] : [])],
  }))
}

/** What runs on a host over SSH: one command string (SSH carries no argv), every word quoted for the remote shell. */
function remoteCommand(host: HostInvocation): string {
  return `mkdir -p ${shellWord(host.outputDir)} && cd ${shellWord(host.outputDir)} && exec ${host.argv.map(shellWord).join(' ')}`
}

export function planHostRuns(ctx: RunContext<VectordbRunOptions>, mode: Exclude<Orchestration, 'local'>, launcher: LauncherInfo | undefined, location: ScriptLocation, leaf: string): HostRunPlan {
  const hosts = invocations(ctx, location, leaf)
  if (mode === 'ssh') return {mode, hosts: hosts.map(host => ({...host, sshArgv: ['ssh', ...sshArgv(ctx.config, host.name), remoteCommand(host)]}))}
  const settings = ctx.config.launcher
  // one host failing must not stop the others before they write their outputs (as kvcache-py does, engines.md §3.4)
  const extraArgs = launcher!.kind === 'openmpi' ? [...settings.extraArgs, '--mca', 'orte_abort_on_non_zero_status', '0'] : settings.extraArgs
  const python = (ctx.engineOptions as VdbbenchOptions).python ?? 'python3'
  const launch = buildLaunch(launcher!, {
    command: [python, '-c', HOST_SHIM, join(leaf, HOST_TABLE)], numProcesses: hosts.length, hosts: hosts.map(host => ({name: host.name})), runId: ctx.runId,
    // forwarded by name (-x NAME), so the values never reach argv or the record
    settings: {...settings, extraArgs, envAllowList: [...settings.envAllowList, ...MILVUS_CREDENTIAL_VARIABLES]}, hostsWhere: '--hosts',
  })
  return {mode, hosts, launch}
}

const localOnly = {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'never', envAllowList: []} as const

function executed(argv: string[], env: Record<string, string>, cwd: string, outcome: LaunchOutcome): ExecutedCommand {
  return {argv, env, cwd, exitCode: outcome.exitCode, signal: outcome.signal, startedAt: outcome.startedAt, endedAt: outcome.endedAt}
}

/** Start every host's share (mpi: one launcher run; ssh: one client per host, all at once) and wait for all. */
async function launchHosts(ctx: RunContext, plan: HostRunPlan, leaf: string): Promise<{outcomes: Array<{host?: string; outcome: LaunchOutcome}>; commands: ExecutedCommand[]}> {
  await Promise.all(plan.hosts.map(host => mkdir(host.outputDir, {recursive: true})))
  if (plan.mode === 'mpi') {
    await writeJsonAtomic(join(leaf, HOST_TABLE), {hosts: plan.hosts.map(host => ({
      host: host.name, processes: host.processes, argv: host.argv, outputDir: host.outputDir, stdout: join(host.outputDir, HOST_STDOUT), stderr: join(host.outputDir, HOST_STDERR),
    }))})
    const launch = plan.launch!
    const outcome = await runLaunch(launch, {cwd: leaf, signal: ctx.signal, stdoutFile: join(leaf, 'launcher.stdout.log'), stderrFile: join(leaf, 'launcher.stderr.log')})
    return {outcomes: [{outcome}], commands: [executed(launch.argv, launch.env, leaf, outcome)]}
  }
  const runs = await Promise.all(plan.hosts.map(async host => {
    const launch = buildLaunch({kind: 'local'}, {command: host.sshArgv!, numProcesses: 1, hosts: [{name: 'localhost'}], runId: ctx.runId, settings: localOnly})
    const outcome = await runLaunch(launch, {
      cwd: leaf, signal: ctx.signal, stdoutFile: join(host.outputDir, HOST_STDOUT), stderrFile: join(host.outputDir, HOST_STDERR),
    })
    return {host: host.name, outcome, command: executed(launch.argv, launch.env, leaf, outcome)}
  }))
  return {outcomes: runs.map(({host, outcome}) => ({host, outcome})), commands: runs.map(run => run.command)}
}

function worstStatus(outcomes: ReadonlyArray<{host?: string; outcome: LaunchOutcome}>): Pick<EngineResult, 'status' | 'reason'> {
  const interrupted = outcomes.find(({outcome}) => outcome.status === 'INTERRUPTED')
  const failed = outcomes.find(({outcome}) => outcome.status === 'FAILED')
  const worst = interrupted ?? failed
  if (!worst) return {status: 'COMPLETED'}
  return {status: worst.outcome.status, reason: `${worst.host ? `${worst.host}: ` : ''}${worst.outcome.reason ?? worst.outcome.status}`}
}

/**
 * The query run on every host, then one result: each host's outputs read from its folder,
 * combined (combine-hosts.ts), per-host figures kept in summary.json and the record. A host
 * whose statistics are missing fails the run, naming the host and where they should have been.
 */
export async function runOnHosts(ctx: RunContext, plan: HostRunPlan, leaf: string): Promise<EngineResult> {
  ctx.progress.stage(`Querying on ${plan.hosts.length} hosts (${plan.mode})`)
  const {outcomes, commands} = await launchHosts(ctx, plan, leaf)
  ctx.progress.done()
  const launched = worstStatus(outcomes)
  const perHost = await Promise.all(plan.hosts.map(async host => ({host, outputs: await readRunOutputs(host.outputDir, HOST_STDOUT)})))
  const artifacts = [...(plan.mode === 'mpi' ? [HOST_TABLE, 'launcher.stdout.log', 'launcher.stderr.log'] : []),
    ...perHost.flatMap(({host, outputs}) => [...outputs.artifacts, HOST_STDERR].map(file => join(relative(leaf, host.outputDir), file)))]
  const missing = perHost.filter(({outputs}) => !outputs.stats).map(({host}) => host)
  const reported = perHost.filter(({outputs}) => outputs.stats).map(({host, outputs}) => ({host: host.name, stats: outputs.stats!}))
  const hostsRecord = perHost.map(({host, outputs}) => ({
    host: host.name, processes: host.processes, outputDir: relative(leaf, host.outputDir), result: outputs.result, valid: outputs.verdict?.valid,
    metrics: outputs.stats ? statisticsMetrics(outputs.stats) : undefined,
  }))
  const extra = {vectordb: {orchestration: plan.mode, hosts: hostsRecord, result: combinedResult(perHost.map(({outputs}) => outputs.result))}}
  if (reported.length === 0 || missing.length > 0) {
    const where = missing.map(host => `${host.name} (${relative(leaf, host.outputDir)}/statistics.json or the statistics line of ${HOST_STDOUT})`).join(', ')
    const shared = plan.mode === 'mpi' ? '; under mpi the results directory must be on a file system every host mounts' : ''
    return {status: launched.status === 'INTERRUPTED' ? 'INTERRUPTED' : 'FAILED', reason: `no vdbbench statistics from ${where}${launched.reason ? ` (${launched.reason})` : ''}${shared}`, commands, artifacts, extra}
  }
  const combined = combineHostStatistics(reported)
  const metrics: Record<string, MetricValue> = {...statisticsMetrics(combined), hosts: plan.hosts.length}
  const verdicts = perHost.map(({outputs}) => outputs.verdict)
  if (verdicts.every(verdict => verdict !== undefined)) {
    metrics.result_valid = verdicts.every(verdict => verdict.valid)
    const complete = verdicts.map(verdict => groundTruthComplete(verdict))
    if (complete.includes(false)) metrics.ground_truth_complete = false
    else if (complete.includes(true)) metrics.ground_truth_complete = true
  }
  await writeJsonAtomic(join(leaf, 'summary.json'), {...summaryOf(combined), hosts: hostsRecord.map(({host, processes, metrics: hostMetrics}) => ({host, processes, ...hostMetrics}))})
  return {...launched, metrics, commands, artifacts: [...artifacts, 'summary.json'], extra}
}

/** "valid" only when every host says so; else the first host's other verdict. */
function combinedResult(results: ReadonlyArray<string | undefined>): string | undefined {
  if (results.some(result => result === undefined)) return undefined
  return results.find(result => result !== 'valid') ?? 'valid'
}

import path from 'node:path'
import type {RunContext} from 'mlps'
import {type ExecutedCommand, type LaunchOutcome, placeRanks, recordedEnvironment, runLaunch} from 'mlps/unstable'
import type {NativeOptions} from '../native-options.js'
import type {HostTask} from './host-task.js'
import type {HostsProgressView} from './host-progress.js'
import {type HostLaunchPlan, type HostTransport, planHostLaunches} from './host-launch.js'
import {addressFacing, joinAddress} from './rendezvous-address.js'
import {CONNECT_TIMEOUT_VARIABLE, RENDEZVOUS_VARIABLE, TOKEN_VARIABLE} from './rendezvous-protocol.js'
import {type BarrierRecord, HostFailure, type HostSeat, RendezvousServer, type SeatedWorker} from './rendezvous-server.js'
import {UPLOAD_STOP_MS} from '../s3/upload-stop.js'

/** Which host runs which global ranks: DLIO's `--map-by node` order, rank r on the (r mod hosts)-th host with ranks left. */
export function seatRanks(ctx: RunContext, numProcesses: number): HostSeat[] {
  const placement = placeRanks(ctx.hosts, numProcesses)
  const hosts = placement.hosts.filter(host => host.ranks > 0)
  const ranks: number[][] = hosts.map(() => [])
  const left = hosts.map(host => host.ranks)
  for (let rank = 0; rank < numProcesses;) {
    for (let i = 0; i < hosts.length && rank < numProcesses; i++) {
      if (left[i] === 0) continue
      ranks[i].push(rank++)
      left[i]--
    }
  }
  return hosts.map((host, i) => ({host: host.name, ranks: ranks[i]}))
}

export interface HostRunOutcome {
  status: 'COMPLETED' | 'FAILED' | 'INTERRUPTED'
  reason?: string
  /** the host a failure is about */
  failedHost?: string
  /** every host's result, in seat order, when COMPLETED */
  results: unknown[]
  transport: HostTransport
  rendezvous: string
  workers: SeatedWorker[]
  barriers: BarrierRecord[]
  /** per-step barriers every host met (DLIO's barrier every training step) */
  stepBarriers: number
  commands: ExecutedCommand[]
  logs: string[]
  strays: number
  /** the hosts that never reached the rendezvous, when that is why the run stopped */
  unreachable?: string[]
}

interface RunOnHostsOptions {
  seats: readonly HostSeat[]
  task: (seat: HostSeat, index: number) => HostTask
  /** names the logs: `<label>.stdout.log` (per host over SSH) */
  label: string
  /** a dry probe writes no logs */
  logDir?: string
  /** turns the hosts' reports into the live view's update (one line per host) */
  view?: HostsProgressView
}

/** longer than a stopped worker gives itself (a bucket's uploads aborted first, then its threads): killing it is the last resort */
const STOP_GRACE_MS = UPLOAD_STOP_MS + 5_000
const GATHER_RECHECK_MS = 200
/** set on every worker: which launch it belongs to (a run's, or the preflight's probe) */
export const LAUNCH_LABEL_VARIABLE = 'MLPS_NATIVE_LAUNCH'

/**
 * Runs one task on every host's worker: the rendezvous opened, one worker started per host (through
 * the launcher or SSH), every host seated before any task is handed out (a host that cannot reach the
 * rendezvous stops the run before anything starts), then the results gathered. A worker that fails,
 * is killed or whose host dies fails the run naming that host; SIGINT aborts every worker; the
 * launches are always awaited, so no process of the run outlives this call.
 */
export async function runOnHosts(ctx: RunContext, options: RunOnHostsOptions): Promise<HostRunOutcome> {
  const native = ctx.engineOptions as NativeOptions
  const {seats} = options
  const hosts = seats.map(seat => seat.host)
  if (ctx.signal.aborted) {
    return {status: 'INTERRUPTED', reason: `stopped by ${String(ctx.signal.reason ?? 'signal')} before the workers started`, results: [], transport: 'local', rendezvous: '',
      workers: [], barriers: [], stepBarriers: 0, commands: [], logs: [], strays: 0}
  }
  const {view} = options
  const server = await RendezvousServer.open({
    seats, port: native.rendezvous.port, silenceTimeoutMs: native.rendezvous.silenceTimeoutSeconds * 1000,
    onHostReports: view && (reports => {
      const update = view(reports)
      if (update) ctx.progress.update(update)
    }),
  })
  const rendezvous = joinAddress(native.rendezvous.address ?? await addressFacing(hosts), server.port)
  const stop = new AbortController()
  const onAbort = () => server.abort('interrupted')
  ctx.signal.addEventListener('abort', onAbort, {once: true})
  let plan: HostLaunchPlan
  try {
    plan = await planHostLaunches(ctx, hosts, {
      [RENDEZVOUS_VARIABLE]: rendezvous, [TOKEN_VARIABLE]: server.token, [CONNECT_TIMEOUT_VARIABLE]: String(native.rendezvous.connectTimeoutSeconds * 1000),
      [LAUNCH_LABEL_VARIABLE]: options.label,
    })
  } catch (error) {
    ctx.signal.removeEventListener('abort', onAbort)
    await server.close()
    throw error
  }
  const logs: string[] = []
  const running = plan.launches.map(({command, host}) => {
    const name = host && plan.launches.length > 1 ? `${options.label}.${host}` : options.label
    const stdoutFile = options.logDir ? path.join(options.logDir, `${name}.stdout.log`) : undefined
    const stderrFile = options.logDir ? path.join(options.logDir, `${name}.stderr.log`) : undefined
    if (stdoutFile && stderrFile) logs.push(stdoutFile, stderrFile)
    // an SSH session lives exactly as long as its worker (killing the client would orphan a worker still starting up): SIGINT reaches those
    // through the rendezvous, whose abort (or refused connection) ends them, and their sessions are awaited; a launcher is signalled, and stops its ranks
    const signal = plan.transport === 'ssh' ? stop.signal : AbortSignal.any([ctx.signal, stop.signal])
    return runLaunch(command, {signal, stdoutFile, stderrFile, terminateGraceMs: STOP_GRACE_MS,
      onLine: line => ctx.log.debug(host ? `${host}: ${line}` : line)}).then(outcome => ({outcome, host}))
  })
  // a launch that ends before every worker is done is news: the launcher could not start one, or a rank died
  const launchEnded = Promise.race(running)

  let results: unknown[] = []
  let failure: {reason: string; host?: string; unreachable?: string[]} | undefined
  const connectTimeoutMs = native.rendezvous.connectTimeoutSeconds * 1000
  try {
    const seated = await gather(server, running, connectTimeoutMs)
    if (seated !== 'seated') {
      const missing = server.missing()
      const why = seated === 'timeout' ? `not within ${native.rendezvous.connectTimeoutSeconds} s` : seated.map(ended => launchReason(ended.outcome, ended.host)).join('; ')
      failure = {reason: `${missing.join(', ')} did not reach the rendezvous at ${rendezvous} (${why})`, unreachable: missing, ...(missing.length === 1 ? {host: missing[0]} : {})}
    } else {
      server.start(options.task)
      const finished = await Promise.race([server.results().then(all => ({all})), launchEnded.then(ended => ({ended}))])
      if ('all' in finished) results = finished.all
      // the launch ended first: give the rendezvous a moment to say which host's connection went
      else failure = await hostFailureSoon(server) ?? {reason: launchReason(finished.ended.outcome, finished.ended.host), ...(finished.ended.host ? {host: finished.ended.host} : {})}
    }
  } catch (error) {
    if (error instanceof HostFailure) failure = {reason: error.message, host: error.host}
    else if (!ctx.signal.aborted) failure = {reason: (error as Error).message}
  } finally {
    ctx.signal.removeEventListener('abort', onAbort)
    if (failure) server.abort(failure.reason)
    await server.close()
  }
  const killTimer = setTimeout(() => stop.abort(new Error('workers still running after the run ended')), STOP_GRACE_MS)
  const ended = await Promise.all(running)
  clearTimeout(killTimer)

  const workers = server.workers()
  const base = {
    transport: plan.transport, rendezvous, workers, barriers: server.barriers, stepBarriers: server.quietBarriers, logs, results,
    strays: ended.reduce((sum, {outcome}) => sum + outcome.strays, 0),
    commands: plan.launches.map(({command}, i) => ({argv: command.argv, env: recordedEnvironment(command.env, command.forwarded), cwd: options.logDir ?? process.cwd(), exitCode: ended[i].outcome.exitCode, signal: ended[i].outcome.signal,
      startedAt: ended[i].outcome.startedAt, endedAt: ended[i].outcome.endedAt})),
  }
  if (ctx.signal.aborted) return {...base, status: 'INTERRUPTED', reason: `stopped by ${String(ctx.signal.reason ?? 'signal')}`, results: []}
  if (failure) return {...base, status: 'FAILED', reason: failure.reason, results: [], ...(failure.host ? {failedHost: failure.host} : {}), ...(failure.unreachable ? {unreachable: failure.unreachable} : {})}
  const failedLaunch = ended.find(({outcome}) => outcome.status !== 'COMPLETED')
  if (failedLaunch) return {...base, status: 'FAILED', reason: launchReason(failedLaunch.outcome, failedLaunch.host), results: []}
  return {...base, status: 'COMPLETED'}
}

type EndedLaunch = {outcome: LaunchOutcome; host?: string}

/**
 * Waits until every host's worker is seated, or every host still missing has no launch left that
 * could seat it (the launch ended: returned, so its hosts can be named), or the timeout.
 */
async function gather(server: RendezvousServer, running: ReadonlyArray<Promise<EndedLaunch>>, timeoutMs: number): Promise<'seated' | 'timeout' | EndedLaunch[]> {
  const ended: EndedLaunch[] = []
  let wake = () => {}
  for (const launch of running) void launch.then(done => { ended.push(done); wake() })
  const deadline = new Promise<'timeout'>(resolve => setTimeout(resolve, timeoutMs, 'timeout').unref())
  for (;;) {
    const launchEnded = new Promise<'ended'>(resolve => { wake = () => resolve('ended') })
    // a host seated since a launch ended may be the last one that could come: look again now and then
    const tick = new Promise<'ended'>(resolve => setTimeout(resolve, GATHER_RECHECK_MS, 'ended').unref())
    const next = await Promise.race([server.gathered().then(() => 'seated' as const), deadline, launchEnded, tick])
    if (next !== 'ended' || ended.length === 0) {
      if (next !== 'ended') return next
      continue
    }
    const missing = server.missing()
    // one launcher for every host: once it ended no missing host can come; over SSH, each host has its own
    const stillPossible = !ended.some(e => e.host === undefined) && missing.some(host => !ended.some(e => e.host === host))
    if (missing.length > 0 && !stillPossible) return ended.filter(e => e.host === undefined || missing.includes(e.host))
  }
}

function launchReason(outcome: LaunchOutcome, host: string | undefined): string {
  const reason = outcome.reason ?? `the launcher ended with code ${outcome.exitCode}`
  return host ? `${host}: ${reason}` : reason
}

/** The failure the rendezvous reports within a moment, when it has one. */
async function hostFailureSoon(server: RendezvousServer): Promise<{reason: string; host: string} | undefined> {
  const failed = await Promise.race([
    server.results().then(() => undefined, (error: unknown) => error),
    new Promise(resolve => setTimeout(resolve, 2000).unref()),
  ])
  return failed instanceof HostFailure ? {reason: failed.message, host: failed.host} : undefined
}

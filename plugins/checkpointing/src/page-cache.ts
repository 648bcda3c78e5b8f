import {randomUUID} from 'node:crypto'
import {type HostSlot, type MlpsConfig} from 'mlps'
import {buildLaunch, detectLauncher, type LaunchCommand, placeRanks, runLaunch} from 'mlps/unstable'

/**
 * Clearing the page cache of every client host between the write and the
 * read invocation (Rules 4.3.1; CK3 "Clearing Caches": `sync; echo 3 >
 * /proc/sys/vm/drop_caches` as root), through the launcher layer: one rank
 * per host, so remote hosts are reached the way DLIO's ranks are.
 *
 * The ranks run `sh -c` with the constant scripts below. No value from a
 * user, a flag or the config is ever part of them: the redirection into
 * /proc is what needs a shell, the rest is data-free.
 */

const DROP_CACHES = '/proc/sys/vm/drop_caches'
const REPORT = 'mlps-page-cache'
// the rank under Open MPI, MPICH/Hydra and Slurm
const RANK = 'rank=${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${SLURM_PROCID:-0}}}'
const SAY = `echo "${REPORT} rank=$rank host=$(uname -n) uid=$(id -u) via=\${via:-none}"`

/** Whether this host can clear its cache: writable as this user (root), else through `sudo -n` for exactly the clearing command. */
export const PROBE_SCRIPT = [
  RANK,
  `if [ -w ${DROP_CACHES} ]; then via=root`,
  `elif sudo -n -l sh -c 'echo 3 > ${DROP_CACHES}' >/dev/null 2>&1; then via=sudo; fi`,
  SAY,
].join('\n')

/** Write dirty pages back, then drop page cache, dentries and inodes; the report line says whether it worked. */
export const CLEAR_SCRIPT = [
  RANK,
  'sync',
  `if [ -w ${DROP_CACHES} ]; then echo 3 > ${DROP_CACHES} && via=root`,
  `else sudo -n sh -c 'echo 3 > ${DROP_CACHES}' && via=sudo; fi`,
  SAY,
].join('\n')

const REPORT_LINE = new RegExp(`^${REPORT} rank=(\\d+) host=(\\S+) uid=(\\d+) via=(root|sudo|none)$`)

export interface HostCacheState {
  /** the client host as the run names it */
  name: string
  /** what the host calls itself (`uname -n`), when it answered */
  reportedName?: string
  uid?: number
  /** how the cache is (or can be) cleared there; none: it cannot be */
  via?: 'root' | 'sudo' | 'none'
  /** why the host gave no answer */
  problem?: string
}

export interface CacheClearPlan {
  launcher: string
  argv: string[]
  hosts: string[]
}

export interface CacheClearOutcome extends CacheClearPlan {
  required: true
  /** every client host cleared its cache */
  cleared: boolean
  perHost: HostCacheState[]
  startedAt: string
  endedAt: string
  seconds: number
  /** why it did not clear everywhere */
  reason?: string
}

export interface CacheTarget {
  /** the run's hosts, as given (slots included) */
  hosts: readonly HostSlot[]
  /** the run's process count: the hosts that run a rank are the clients */
  numProcesses: number
  config: MlpsConfig
}

/** The client hosts: those the run places at least one rank on. */
export function clientHosts(target: CacheTarget): string[] {
  return placeRanks(target.hosts, target.numProcesses).hosts.filter(host => host.ranks > 0).map(host => host.name)
}

/** One rank per client host running `script`, in the configured (or detected) launcher's dialect. */
export async function cacheLaunch(target: CacheTarget, script: string): Promise<LaunchCommand> {
  const hosts = clientHosts(target).map(name => ({name}))
  const launcher = await detectLauncher({type: target.config.launcher.type, bin: target.config.launcher.bin, numProcesses: hosts.length, hosts})
  return buildLaunch(launcher, {
    command: ['sh', '-c', script], numProcesses: hosts.length, hosts, runId: randomUUID(),
    // the scripts need no variable of the user's: forwarding nothing keeps secrets off these ranks
    settings: {...target.config.launcher, envAllowList: []}, hostsWhere: 'hosts',
  })
}

export function describeLaunch(launch: LaunchCommand): CacheClearPlan {
  return {launcher: launch.launcher.kind, argv: launch.argv, hosts: launch.placement.hosts.map(host => host.name)}
}

interface LaunchedReport {
  perHost: HostCacheState[]
  startedAt: string
  endedAt: string
  /** the launch itself failed or was stopped */
  failure?: string
}

/** Run a cache launch and read one report line per rank; a host with no line is named with the launcher's reason. */
async function runCacheLaunch(launch: LaunchCommand, signal: AbortSignal, timeoutMs: number): Promise<LaunchedReport> {
  const lines = new Map<number, RegExpExecArray>()
  const other: string[] = []
  const timeout = AbortSignal.timeout(timeoutMs)
  const outcome = await runLaunch(launch, {
    signal: AbortSignal.any([signal, timeout]),
    terminateGraceMs: 5000,
    onLine: line => {
      const match = REPORT_LINE.exec(line.trim())
      if (match) lines.set(Number(match[1]), match)
      else if (line.trim()) other.push(line.trim())
    },
  })
  // launchers print their own reason first (`ssh: Could not resolve hostname ...`), then banners
  const said = other.find(line => /[a-z]/i.test(line))
  const failure = timeout.aborted && !signal.aborted ? `${launch.argv[0]} did not finish within ${timeoutMs / 1000} s`
    : outcome.status === 'COMPLETED' ? undefined : [outcome.reason, said].filter(Boolean).join(': ')
  const perHost = launch.placement.hosts.map((host, rank): HostCacheState => {
    const match = lines.get(rank)
    if (!match) return {name: host.name, problem: failure ?? `no answer from rank ${rank}${said ? `: ${said}` : ''}`}
    return {name: host.name, reportedName: match[2], uid: Number(match[3]), via: match[4] as HostCacheState['via']}
  })
  return {perHost, startedAt: outcome.startedAt, endedAt: outcome.endedAt, failure}
}

export interface CacheProbe {
  plan: CacheClearPlan
  perHost: HostCacheState[]
  failure?: string
}

/** Ask every client host, before anything starts, whether it will be able to clear its cache. */
export async function probeCacheClear(target: CacheTarget, signal: AbortSignal, timeoutMs = 60_000): Promise<CacheProbe> {
  const launch = await cacheLaunch(target, PROBE_SCRIPT)
  const report = await runCacheLaunch(launch, signal, timeoutMs)
  return {plan: describeLaunch(launch), perHost: report.perHost, failure: report.failure}
}

/** Clear the page cache on every client host now; the outcome says where it worked and how long it took. */
export async function clearPageCaches(target: CacheTarget, signal: AbortSignal, timeoutMs = 300_000): Promise<CacheClearOutcome> {
  let launch: LaunchCommand
  try {
    launch = await cacheLaunch(target, CLEAR_SCRIPT)
  } catch (error) {
    // the preflight reached the hosts with the same launcher, so this is rare; the read still runs and its record says so
    const now = new Date().toISOString()
    const hosts = clientHosts(target)
    return {launcher: target.config.launcher.type, argv: [], hosts, required: true, cleared: false, perHost: hosts.map(name => ({name})),
      startedAt: now, endedAt: now, seconds: 0, reason: `no launch: ${(error as Error).message}`}
  }
  const started = performance.now()
  const report = await runCacheLaunch(launch, signal, timeoutMs)
  const seconds = (performance.now() - started) / 1000
  const failed = report.perHost.filter(host => host.via !== 'root' && host.via !== 'sudo')
  const reason = failed.length === 0 ? undefined
    : failed.map(host => `${host.name}: ${host.problem ?? `neither root nor allowed to run sudo -n (uid ${host.uid})`}`).join('; ')
  return {
    ...describeLaunch(launch), required: true, cleared: failed.length === 0, perHost: report.perHost,
    startedAt: report.startedAt, endedAt: report.endedAt, seconds, ...(reason ? {reason} : {}),
  }
}

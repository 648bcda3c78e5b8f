import {createWriteStream, type WriteStream} from 'node:fs'
import {basename} from 'node:path'
import {execa} from 'execa'
import type {LaunchCommand} from './launcher.js'
import {guardLaunch, releaseLaunch} from './launch-guardian.js'
import {killProcessesOfRun, killProcessesOutliving} from './process-scan.js'
import {RankFailureReader} from './rank-failure.js'

export interface WatchdogOptions {
  /** how long the run may stay silent (no output line, no change in `activity`) */
  silentMs: number
  /** warn: call onSilent and go on; stop: also stop the run, which then FAILS */
  action: 'warn' | 'stop'
  onSilent?(silentMs: number): void
  /** anything that changes while the run makes progress (log size, I/O counters) */
  activity?(): number | string | Promise<number | string>
  checkEveryMs?: number
}

export interface RunLaunchOptions {
  cwd?: string
  /** aborting it (SIGINT/SIGTERM) stops the whole process tree; the outcome is INTERRUPTED */
  signal?: AbortSignal
  onLine?(line: string, stream: 'stdout' | 'stderr'): void
  stdoutFile?: string
  stderrFile?: string
  /** between SIGTERM and SIGKILL; mpirun needs time to stop remote ranks (default 30 s) */
  terminateGraceMs?: number
  watchdog?: WatchdogOptions
}

export interface LaunchOutcome {
  status: 'COMPLETED' | 'FAILED' | 'INTERRUPTED'
  reason?: string
  exitCode: number | null
  signal: string | null
  startedAt: string
  endedAt: string
  /** local processes of the run still alive a grace period (STRAY_GRACE_MS) after the launcher ended, killed then */
  strays: number
  watchdogFired: boolean
}

/** How to kill each launch still running at once, for a second Ctrl-C. */
const runningLaunches = new Set<() => void>()

/**
 * Kill every running launch's processes now (SIGKILL to its group and to every process marked with its
 * run id) instead of waiting out the grace period: the launches then end, and mlps records the run.
 */
export function forceStopLaunches(): void {
  for (const kill of runningLaunches) kill()
}

function lineSplitter(emit: (line: string) => void): {push(chunk: Buffer): void; end(): void} {
  let partial = ''
  return {
    push(chunk) {
      const parts = (partial + chunk.toString('utf8')).split(/\r?\n|\r/)
      partial = parts.pop() ?? ''
      for (const line of parts) emit(line)
    },
    end() {
      if (partial) emit(partial)
      partial = ''
    },
  }
}

function closeStream(stream: WriteStream | undefined): Promise<void> {
  return stream ? new Promise(resolve => stream.end(resolve)) : Promise.resolve()
}

/**
 * Run a launch to its end. The launcher gets its own process group, so stopping it (abort, watchdog)
 * sends SIGTERM to the group, which mpirun forwards to its ranks; after the grace period the group is
 * SIGKILLed, and since a SIGKILLed mpirun orphans its ranks (ecosystem.md §5.1) every local process
 * still marked with the run's MLPS_RUN_ID is killed too. Output is written to the log files as it
 * arrives and handed to onLine; the exit code, never an assumption, decides COMPLETED or FAILED.
 */
export async function runLaunch(command: LaunchCommand, options: RunLaunchOptions = {}): Promise<LaunchOutcome> {
  const startedAt = new Date().toISOString()
  const [file, ...args] = command.argv
  const stdoutFile = options.stdoutFile ? createWriteStream(options.stdoutFile) : undefined
  const stderrFile = options.stderrFile ? createWriteStream(options.stderrFile) : undefined
  const child = execa(file, args, {
    env: command.env, extendEnv: true, detached: true, cleanup: false, reject: false, stdin: 'ignore',
    buffer: false, cwd: options.cwd, forceKillAfterDelay: false,
  })
  const pid = child.pid
  const graceMs = options.terminateGraceMs ?? 30_000
  // a SIGKILLed mlps runs no handler: the guardian stops the launch then
  if (pid !== undefined) guardLaunch(pid, command.runId, graceMs)
  const signalGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return
    try {
      process.kill(-pid, signal)
    } catch {}
  }
  // mlps itself exiting (a second Ctrl-C) must not leave the detached tree running
  const onExit = () => signalGroup('SIGTERM')
  process.once('exit', onExit)

  let lastActivity = Date.now()
  const outputs = {stdout: stdoutFile, stderr: stderrFile} as const
  const rankFailure = new RankFailureReader(command.launcher.kind, command.rankHosts)
  for (const name of ['stdout', 'stderr'] as const) {
    const splitter = lineSplitter(line => {
      rankFailure.line(line)
      options.onLine?.(line, name)
    })
    child[name]?.on('data', (chunk: Buffer) => {
      lastActivity = Date.now()
      outputs[name]?.write(chunk)
      splitter.push(chunk)
    })
    child[name]?.on('end', () => splitter.end())
  }

  let terminating = false
  let killTimer: NodeJS.Timeout | undefined
  const terminate = () => {
    if (terminating) return
    terminating = true
    signalGroup('SIGTERM')
    killTimer = setTimeout(() => {
      signalGroup('SIGKILL')
      void killProcessesOfRun(command.runId)
    }, graceMs)
  }
  const killNow = () => {
    terminating = true
    clearTimeout(killTimer)
    signalGroup('SIGKILL')
    void killProcessesOfRun(command.runId)
  }
  runningLaunches.add(killNow)
  const onAbort = () => terminate()
  if (options.signal?.aborted) terminate()
  else options.signal?.addEventListener('abort', onAbort, {once: true})

  let watchdogFired = false
  let watchdogStopped = false
  let watchTimer: NodeJS.Timeout | undefined
  const watchdog = options.watchdog
  if (watchdog) {
    let lastValue: number | string | undefined
    let warnedThisSilence = false
    // a failed probe is no news: the output lines still count as activity, and a thrown probe must not end mlps mid-run
    const activityNow = async () => {
      try {
        return await watchdog.activity?.()
      } catch {
        return undefined
      }
    }
    const checkSilence = async () => {
      const value = await activityNow()
      if (value !== undefined && value !== lastValue) {
        lastValue = value
        lastActivity = Date.now()
      }
      const silent = Date.now() - lastActivity
      if (silent < watchdog.silentMs) {
        warnedThisSilence = false
        return
      }
      if (warnedThisSilence) return
      warnedThisSilence = true
      watchdogFired = true
      watchdog.onSilent?.(silent)
      if (watchdog.action === 'stop') {
        watchdogStopped = true
        terminate()
      }
    }
    watchTimer = setInterval(() => void checkSilence(), watchdog.checkEveryMs ?? Math.min(30_000, Math.max(50, watchdog.silentMs / 4)))
  }

  // once the launcher is gone nothing of the run may stay (after a moment's grace); this also closes pipes a stray holds open
  let strays = 0
  let straysAtExit = Promise.resolve(0)
  child.once('exit', () => {
    straysAtExit = killProcessesOutliving(command.runId)
  })
  const result = await child
  runningLaunches.delete(killNow)
  clearTimeout(killTimer)
  clearInterval(watchTimer)
  options.signal?.removeEventListener('abort', onAbort)
  process.off('exit', onExit)
  strays += await straysAtExit
  strays += await killProcessesOfRun(command.runId)
  if (pid !== undefined) releaseLaunch(pid)
  await Promise.all([closeStream(stdoutFile), closeStream(stderrFile)])

  const name = basename(file)
  const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null
  const signal = result.signal ?? null
  const base = {exitCode, signal, startedAt, endedAt: new Date().toISOString(), strays, watchdogFired}
  if (options.signal?.aborted) return {...base, status: 'INTERRUPTED', reason: `stopped by ${String(options.signal.reason ?? 'signal')}`}
  if (watchdogStopped) return {...base, status: 'FAILED', reason: `stopped by the watchdog: no output or I/O for ${Math.round(watchdog!.silentMs / 1000)} s`}
  if (exitCode === null && signal === null) {
    const code = (result as {code?: string}).code
    return {...base, status: 'FAILED', reason: `could not start ${file}${code ? `: ${code}` : ''}`}
  }
  // on one host the host is no news, and the launcher's exit code says the rest; srun names the node it chose
  const spread = command.launcher.kind === 'slurm' || command.placement.hosts.filter(host => host.ranks > 0).length > 1
  const which = rankFailure.failure && spread ? ` (${rankFailure.failure})` : ''
  if (signal) return {...base, status: 'FAILED', reason: `${name} was killed by ${signal}${which}`}
  if (exitCode !== 0) return {...base, status: 'FAILED', reason: `${name} exited with code ${exitCode}${which}`}
  return {...base, status: 'COMPLETED'}
}

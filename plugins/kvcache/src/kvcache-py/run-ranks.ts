import {mkdir} from 'node:fs/promises'
import {dirname} from 'node:path'
import {execa} from 'execa'
import {guardLaunch, releaseLaunch, RUN_ID_VARIABLE} from 'mlps/unstable'
import type {RankInvocation} from './rank-argv.js'

export interface RankExit {
  rank: number
  exitCode?: number
  signal?: string
  /** why it did not start or did not finish cleanly */
  failure?: string
  stderrLog: string
}

/**
 * Start every rank of a pass on this host at once, each with its own argv (no shell), and wait for all.
 * Their output goes where an MPI launch puts it, the pass's `<prefix>.stdout.log` / `.stderr.log` in the
 * leaf (the reference's layout), every rank appending to the same two files as mpirun's ranks do. An
 * abort stops them all (SIGTERM, then SIGKILL after 5 s). Each rank is its own process group, watched by
 * the launch guardian, so a SIGKILLed mlps does not leave kv-cache.py running (docs/signals.md).
 */
export async function runRanksLocally(ranks: readonly RankInvocation[], signal: AbortSignal, runId: string, logs: {stdout: string; stderr: string}): Promise<RankExit[]> {
  await mkdir(dirname(logs.stdout), {recursive: true})
  return Promise.all(ranks.map(async invocation => {
    await mkdir(invocation.outputDir, {recursive: true})
    await mkdir(invocation.cacheDir, {recursive: true})
    const stderrLog = logs.stderr
    const [bin, ...args] = invocation.argv
    const child = execa(bin, args, {
      reject: false, stdin: 'ignore', stdout: {file: logs.stdout, append: true}, stderr: {file: logs.stderr, append: true},
      cancelSignal: signal, forceKillAfterDelay: 5000, cleanup: true, detached: true, env: {PYTHONUNBUFFERED: '1', [RUN_ID_VARIABLE]: runId},
    })
    if (child.pid !== undefined) guardLaunch(child.pid, runId, 5000)
    const result = await child
    if (child.pid !== undefined) releaseLaunch(child.pid)
    const exit: RankExit = {rank: invocation.rank, exitCode: result.exitCode, signal: result.signal, stderrLog}
    if (result.isCanceled) exit.failure = 'stopped by the abort'
    else if (result.exitCode === undefined && !result.signal) exit.failure = result.shortMessage
    else if (result.signal) exit.failure = `killed by ${result.signal}`
    else if (result.exitCode !== 0) exit.failure = `exited with code ${result.exitCode}`
    return exit
  }))
}

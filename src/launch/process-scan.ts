import {readdirSync, readFileSync} from 'node:fs'
import {RUN_ID_VARIABLE} from './launcher.js'

/**
 * Processes on this machine whose environment carries `MLPS_RUN_ID=<runId>` (ecosystem.md §5.1: Open
 * MPI puts each local rank in its own process group, so a group kill misses them; the marker finds
 * them). Processes of other users, or that exit while being read, are skipped.
 */
export function processesOfRun(runId: string): number[] {
  const marker = Buffer.from(`${RUN_ID_VARIABLE}=${runId}\0`)
  const pids: number[] = []
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return pids
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    if (pid === process.pid) continue
    try {
      const environ = readFileSync(`/proc/${pid}/environ`)
      if (environ.includes(marker)) pids.push(pid)
    } catch {}
  }
  return pids
}

/**
 * SIGKILL every local process of the run and wait (up to `waitMs`) until the
 * kernel has taken them away, so that "nothing of the run is left" holds
 * when this returns; returns how many were still there.
 */
export async function killProcessesOfRun(runId: string, waitMs = 5000): Promise<number> {
  const targets = processesOfRun(runId)
  for (const pid of targets) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  const deadline = Date.now() + waitMs
  while (processesOfRun(runId).length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  return targets.length
}

/**
 * How long the run's processes may take to end on their own once the launcher is gone: mpirun's own ssh
 * children carry the run's marker and end a moment after it on a healthy multi-host run; they are not
 * strays.
 */
export const STRAY_GRACE_MS = 3000

/** Wait up to `graceMs` for the run's processes to end by themselves, then SIGKILL what is left; returns how many were. */
export async function killProcessesOutliving(runId: string, graceMs = STRAY_GRACE_MS): Promise<number> {
  const deadline = Date.now() + graceMs
  while (processesOfRun(runId).length > 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20))
  return killProcessesOfRun(runId)
}

/** Bytes read and written so far by the run's local processes (/proc/<pid>/io), for the watchdog. */
export function ioBytesOfRun(runId: string): number {
  let total = 0
  for (const pid of processesOfRun(runId)) {
    try {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8')
      for (const match of io.matchAll(/^(?:rchar|wchar):\s*(\d+)$/gm)) total += Number(match[1])
    } catch {}
  }
  return total
}

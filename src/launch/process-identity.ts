import {readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {z} from 'zod'

/**
 * Which process ran something, told apart from a later process that got the same pid: the
 * kernel's boot id and the process's start time (clock ticks since boot, /proc/<pid>/stat field
 * 22) name one process for as long as the host runs.
 */
export const ProcessIdentitySchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  bootId: z.string().optional(),
  startTicks: z.number().int().nonnegative().optional(),
})
export type ProcessIdentity = z.infer<typeof ProcessIdentitySchema>

/** Whether the process still runs: `unknown` when it ran on another host, or too little was recorded to be sure. */
export type ProcessState = {state: 'alive' | 'gone' | 'unknown'; detail: string}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return undefined
  }
}

/** State (field 3) and start time (field 22) of /proc/<pid>/stat; the command name before them may hold spaces and parentheses. */
function statOf(pid: number): {state: string; startTicks: number} {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return {state: fields[0], startTicks: Number(fields[19])}
}

/** This process, as a record or a history line keeps it. */
export function currentProcess(): ProcessIdentity {
  const boot = bootId()
  let startTicks: number | undefined
  try {
    startTicks = statOf(process.pid).startTicks
  } catch {}
  return {pid: process.pid, hostname: hostname(), ...(boot ? {bootId: boot} : {}), ...(startTicks === undefined ? {} : {startTicks})}
}

/** Whether `identity` still runs, asked on `localHost` (this host unless a test says otherwise). */
export function processState(identity: ProcessIdentity, localHost = hostname()): ProcessState {
  const {pid} = identity
  if (identity.hostname !== localHost) return {state: 'unknown', detail: `it ran on ${identity.hostname}, not on this host (${localHost}): cannot tell from here whether it still runs`}
  const boot = bootId()
  if (identity.bootId && boot && identity.bootId !== boot) return {state: 'gone', detail: `${identity.hostname} has restarted since process ${pid} started`}
  let stat: ReturnType<typeof statOf>
  try {
    stat = statOf(pid)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {state: 'gone', detail: `process ${pid} no longer exists`}
    return signalProbe(pid)
  }
  if (stat.state === 'Z' || stat.state === 'X') return {state: 'gone', detail: `process ${pid} has exited`}
  if (identity.startTicks === undefined) return {state: 'alive', detail: `a process ${pid} runs, but no start time was recorded to tell it is the same one`}
  if (stat.startTicks !== identity.startTicks) return {state: 'gone', detail: `process ${pid} ended; the pid now belongs to another process`}
  return {state: 'alive', detail: `process ${pid} still runs`}
}

/** Without /proc: signal 0 says whether some process has the pid, not which. */
function signalProbe(pid: number): ProcessState {
  try {
    process.kill(pid, 0)
    return {state: 'alive', detail: `a process ${pid} runs (without /proc, not proven to be the same one)`}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return {state: 'alive', detail: `a process ${pid} of another user runs`}
    return {state: 'gone', detail: `process ${pid} no longer exists`}
  }
}

import {appendFile, mkdir, readFile} from 'node:fs/promises'
import {hostname} from 'node:os'
import {dirname, join} from 'node:path'
import {z} from 'zod'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {processState} from '../launch/process-identity.js'

/** What an invocation is when it starts: written before its work, so a killed one still has its line. */
const StartLineSchema = z.object({
  event: z.literal('start'),
  id: z.string(),
  time: z.string(),
  /** the command id, e.g. "<benchmark> run" */
  command: z.string(),
  /** argv after the bin name, secrets redacted */
  argv: z.array(z.string()),
  cwd: z.string(),
  pid: z.number().int(),
  hostname: z.string(),
  /** with pid and hostname, what tells the invocation's process from a later one with the same pid (absent in older lines) */
  bootId: z.string().optional(),
  startTicks: z.number().int().nonnegative().optional(),
  mlpsVersion: z.string(),
})

/** How it ended, joined to its start line by id. */
const EndLineSchema = z.object({
  event: z.literal('end'),
  id: z.string(),
  time: z.string(),
  exitCode: z.number().int(),
  durationSeconds: z.number().nonnegative(),
  leaf: z.string().optional(),
})

/** A line of the one-line-per-invocation history older mlps wrote when the invocation ended. */
const CompleteLineSchema = z.object({
  time: z.string(),
  command: z.string(),
  argv: z.array(z.string()),
  cwd: z.string(),
  exitCode: z.number().int(),
  durationSeconds: z.number().nonnegative(),
  leaf: z.string().optional(),
  mlpsVersion: z.string(),
})

export type HistoryStart = Omit<z.infer<typeof StartLineSchema>, 'event'>
export type HistoryEnd = Omit<z.infer<typeof EndLineSchema>, 'event'>

export const HISTORY_STATUSES = ['completed', 'failed', 'interrupted', 'running', 'killed'] as const
export type HistoryStatus = typeof HISTORY_STATUSES[number]

export interface NumberedEntry {
  /** 1-based position among the invocations in the history file (a torn line counts for none), the number `history show|rerun` take */
  number: number
  /** when it started */
  time: string
  command: string
  argv: string[]
  cwd: string
  mlpsVersion: string
  status: HistoryStatus
  /** absent while it runs, and for one that was killed before it could say */
  exitCode?: number
  durationSeconds?: number
  endedAt?: string
  leaf?: string
  /** for an invocation with no end: why it is said to be running or killed, or that it cannot be told from here */
  liveness?: string
}

export function historyFile(dataDir: string): string {
  return join(dataDir, 'history.jsonl')
}

/** One JSON line per event; a single append is atomic for lines this short. */
async function appendLine(file: string, line: object): Promise<void> {
  await mkdir(dirname(file), {recursive: true})
  await appendFile(file, JSON.stringify(line) + '\n')
}

export async function appendHistoryStart(file: string, start: HistoryStart): Promise<void> {
  await appendLine(file, StartLineSchema.parse({event: 'start', ...start}))
}

export async function appendHistoryEnd(file: string, end: HistoryEnd): Promise<void> {
  await appendLine(file, EndLineSchema.parse({event: 'end', ...end}))
}

function statusOfExit(exitCode: number): HistoryStatus {
  if (exitCode === 0) return 'completed'
  return exitCode === ExitCode.Interrupted || exitCode === ExitCode.Terminated ? 'interrupted' : 'failed'
}

/**
 * Still running when its process is alive on this host; a start with no end and no process was killed
 * (SIGKILL, OOM, a lost host). Another host's invocation stays running, its liveness saying it cannot be told.
 */
function unfinishedStatus(start: HistoryStart, localHost: string): {status: HistoryStatus; liveness: string} {
  const {state, detail} = processState({pid: start.pid, hostname: start.hostname, bootId: start.bootId, startTicks: start.startTicks}, localHost)
  return {status: state === 'gone' ? 'killed' : 'running', liveness: detail}
}

/** Every readable invocation, numbered in the order they started; a line torn by a crash is skipped. */
export async function readHistory(file: string, localHost = hostname()): Promise<NumberedEntry[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const entries: NumberedEntry[] = []
  const starts = new Map<string, {start: HistoryStart; entry: NumberedEntry}>()
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      continue // a line torn by a crash mid-append; the others stay usable
    }
    const start = StartLineSchema.safeParse(value)
    if (start.success) {
      const {event: _event, id: _id, pid: _pid, hostname: _host, bootId: _boot, startTicks: _ticks, ...shown} = start.data
      const entry: NumberedEntry = {...shown, number: entries.length + 1, status: 'running'}
      starts.set(start.data.id, {start: start.data, entry})
      entries.push(entry)
      continue
    }
    const end = EndLineSchema.safeParse(value)
    if (end.success) {
      const started = starts.get(end.data.id)
      if (!started) continue
      Object.assign(started.entry, {
        status: statusOfExit(end.data.exitCode), exitCode: end.data.exitCode, durationSeconds: end.data.durationSeconds, endedAt: end.data.time,
        ...end.data.leaf === undefined ? {} : {leaf: end.data.leaf},
      })
      starts.delete(end.data.id)
      continue
    }
    const complete = CompleteLineSchema.safeParse(value)
    if (complete.success) entries.push({...complete.data, number: entries.length + 1, status: statusOfExit(complete.data.exitCode)})
  }
  for (const {start, entry} of starts.values()) Object.assign(entry, unfinishedStatus(start, localHost))
  return entries
}

export async function historyEntry(file: string, number: number): Promise<NumberedEntry> {
  const entries = await readHistory(file)
  const found = entries.find(entry => entry.number === number)
  if (!found) {
    const range = entries.length > 0 ? `1..${entries.at(-1)!.number}` : 'none yet'
    throw new MlpsError(`history has no entry ${number} (entries: ${range})`, {where: file, fix: 'run `mlps history list` to see the numbers'})
  }
  return found
}

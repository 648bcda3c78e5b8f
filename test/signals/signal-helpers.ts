import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {entriesUnder} from '../helpers/files-under.js'

/** The variable a signal test puts in the CLI's environment: every process mlps starts inherits it, so they can be counted. */
export const TEST_MARK = 'MLPS_SIGNAL_TEST'

/** Processes on this machine carrying `MLPS_SIGNAL_TEST=<token>`, with their command lines. */
export function markedProcesses(token: string): Array<{pid: number; cmdline: string}> {
  const marker = Buffer.from(`${TEST_MARK}=${token}\0`)
  const found: Array<{pid: number; cmdline: string}> = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      if (!readFileSync(`/proc/${entry}/environ`).includes(marker)) continue
      found.push({pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')})
    } catch {}
  }
  return found
}

/** So a failed test leaves nothing running for the next. */
export function killMarked(token: string): void {
  for (const {pid} of markedProcesses(token)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
}

/** Polls `condition`; on a timeout the error says `what`, a function when it should tell the state at that moment. */
export async function until(what: string | (() => string), condition: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now()
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${typeof what === 'function' ? what() : what}`)
    await delay(50)
  }
  return Date.now() - start
}

/** Every entry under `dir` whose name ends in .tmp (a write that was abandoned), whatever its kind. */
export function tempFilesUnder(dir: string): string[] {
  return entriesUnder(dir, entry => entry.name.endsWith('.tmp'))
}

/** The run leaves (folders holding metadata.json) under `dir`, outside mlps's private .mlps state. */
export function runLeavesUnder(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch {
    return []
  }
  const here = entries.some(entry => entry.name === 'metadata.json') ? [dir] : []
  return [...here, ...entries.filter(entry => entry.isDirectory() && entry.name !== '.mlps').flatMap(entry => runLeavesUnder(join(dir, entry.name)))]
}

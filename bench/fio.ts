import {execFileSync} from 'node:child_process'
import {childrenCpuSeconds} from './cpu-time.js'

export interface FioOutcome {
  bytes: number
  /** fio's own I/O time (its start-up not counted), seconds */
  seconds: number
  /** user + system CPU of the whole fio process, every thread, from getrusage of children */
  cpuSeconds: number
}

export function fioInstalled(): boolean {
  try {
    execFileSync('fio', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

/** A fio file list: its ':' separator escaped inside names. */
export function fioFileList(files: readonly string[]): string {
  return files.map(file => file.replaceAll(':', '\\:')).join(':')
}

/** Runs fio (jobs as threads, one group report) and returns what the group moved, in which time, for how much CPU. */
export function runFio(direction: 'read' | 'write', jobArgs: readonly string[]): FioOutcome {
  const cpuBefore = childrenCpuSeconds()
  const output = execFileSync('fio', ['--output-format=json', '--group_reporting', '--thread', ...jobArgs], {encoding: 'utf8', maxBuffer: 16 << 20})
  const cpuSeconds = childrenCpuSeconds() - cpuBefore
  const report = JSON.parse(output) as {jobs: Array<Record<'read' | 'write', {io_bytes: number; runtime: number}>>}
  const {io_bytes: bytes, runtime} = report.jobs[0][direction]
  return {bytes, seconds: runtime / 1000, cpuSeconds}
}

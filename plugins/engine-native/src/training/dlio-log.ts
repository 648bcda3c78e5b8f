import fs from 'node:fs'

import {dlioTimestamp, wallClockMs} from './wall-clock.js'

/**
 * `dlio.log` in DLIO's format (engines.md §2.5): `[LEVEL] <timestamp> message`,
 * appended as the run goes so it can be followed; DLIO deletes it at start.
 */
export class DlioLog {
  constructor(readonly file: string) {
    fs.rmSync(file, {force: true})
  }

  output(message: string): void {
    this.line('OUTPUT', `${dlioTimestamp(wallClockMs())} ${message}`)
  }

  info(message: string): void {
    this.line('INFO', `${dlioTimestamp(wallClockMs())} ${message}`)
  }

  warning(message: string): void {
    this.line('WARNING', `${dlioTimestamp(wallClockMs())} ${message}`)
  }

  error(message: string): void {
    this.line('ERROR', `${dlioTimestamp(wallClockMs())} ${message}`)
  }

  /** The closing block DLIO prints as one OUTPUT message whose lines carry `[METRIC]`. */
  metricBlock(lines: readonly string[]): void {
    const rule = '[METRIC] =========================================================='
    fs.appendFileSync(this.file, ['[OUTPUT] Averaged metric over all steps/epochs', rule, ...lines.map(l => `[METRIC] ${l}`), rule, ''].join('\n'))
  }

  private line(level: string, text: string): void {
    fs.appendFileSync(this.file, `[${level}] ${text}\n`)
  }
}

/** Why the run stopped early, so whoever reads the log does not take its partial outputs for a result. */
export function logIncomplete(log: Pick<DlioLog, 'error'>, reason: string | undefined): void {
  log.error(`run stopped before completion, outputs are incomplete: ${reason}`)
}

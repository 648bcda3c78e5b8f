import type {CheckRow, CheckStatus} from './check.js'

const LABEL: Record<CheckStatus, string> = {ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip'}

/**
 * The doctor's table: check, host, status and detail in columns, the fix on
 * its own line under the detail, so long commands are shown whole.
 */
export function renderCheckTable(rows: readonly CheckRow[]): string {
  const header = {check: 'CHECK', host: 'HOST', status: 'STATUS'}
  const checkWidth = Math.max(header.check.length, ...rows.map(r => r.check.length))
  const hostWidth = Math.max(header.host.length, ...rows.map(r => r.host.length))
  const statusWidth = header.status.length
  const indent = ' '.repeat(checkWidth + hostWidth + statusWidth + 6)
  const line = (check: string, host: string, status: string, detail: string) =>
    `${check.padEnd(checkWidth)}  ${host.padEnd(hostWidth)}  ${status.padEnd(statusWidth)}  ${detail}`
  const out = [line(header.check, header.host, header.status, 'DETAIL')]
  for (const row of rows) {
    out.push(line(row.check, row.host, LABEL[row.status], row.detail))
    if (row.fix && row.status !== 'ok') out.push(`${indent}fix: ${row.fix}`)
  }
  return out.join('\n')
}

/** One line: ready or not (by default: nothing failed), and how many checks passed, warned, failed, could not be evaluated, and wait for a run. */
export function summarizeRows(rows: readonly CheckRow[], ready?: boolean): string {
  const count = (status: CheckStatus) => rows.filter(r => r.status === status && !r.needsRun).length
  const failed = count('fail')
  const waiting = rows.filter(r => r.needsRun).length
  return `${(ready ?? failed === 0) ? 'READY' : 'NOT READY'}: ${count('ok')} ok, ${count('warn')} warning(s), ${failed} failure(s), ${count('skip')} not evaluable${waiting > 0 ? `, ${waiting} checked when a run starts` : ''}`
}

import type {Finding} from '../verify/finding.js'
import type {CheckRow} from './check.js'

/** Rows → Findings: fail blocks the run (environment, exit 3), warn is reported, skip says "not evaluable", ok says nothing. */
export function rowsToFindings(rows: readonly CheckRow[]): Finding[] {
  return rows.filter(row => row.status !== 'ok').map(row => ({
    ruleId: row.check,
    severity: row.status === 'fail' ? 'error' as const : row.status === 'warn' ? 'warn' as const : 'info' as const,
    kind: 'environment' as const,
    message: `${row.host}: ${row.detail}`,
    ...(row.fix ? {fix: row.fix} : {}),
    ...(row.status === 'skip' ? {notEvaluable: true} : {}),
    evidence: [{value: {host: row.host, check: row.check, status: row.status}}],
  }))
}

export interface EngineReadiness {
  ready: boolean
  /** the checks of this engine that failed, as check@host */
  failed: string[]
}

/** Per engine whose checks ran: ready when none of them failed on any host. */
export function engineReadiness(rows: readonly CheckRow[]): Record<string, EngineReadiness> {
  const engines: Record<string, EngineReadiness> = {}
  for (const row of rows) {
    if (!row.engine) continue
    const entry = engines[row.engine] ??= {ready: true, failed: []}
    if (row.status === 'fail') {
      entry.ready = false
      entry.failed.push(`${row.check}@${row.host}`)
    }
  }
  return engines
}

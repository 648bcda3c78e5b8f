import type {Finding} from '../verify/finding.js'
import type {CheckRow} from './check.js'

const HOSTS_SPELLED_OUT = 4

/**
 * Rows → Findings: fail blocks the run (exit 3 for the environment, 2 for the input), warn is reported, skip
 * says "not evaluable", ok says nothing. The same check failing the same way on many hosts is one finding
 * naming them, not one per host: 128 unreachable hosts are one problem with one fix. A check about the
 * invocation (its flags, its dataset) names no host.
 */
export function rowsToFindings(rows: readonly CheckRow[]): Finding[] {
  const groups = new Map<string, CheckRow[]>()
  for (const row of rows) {
    if (row.status === 'ok') continue
    const key = JSON.stringify([row.check, row.status, row.fix ?? ''])
    groups.set(key, [...groups.get(key) ?? [], row])
  }
  return [...groups.values()].map(group => {
    const [first] = group
    const spelled = group.slice(0, HOSTS_SPELLED_OUT).map(row => row.invocation ? row.detail : `${row.host}: ${row.detail}`)
    const more = group.length > HOSTS_SPELLED_OUT ? `; and ${group.length - HOSTS_SPELLED_OUT} more host(s): ${group.slice(HOSTS_SPELLED_OUT).map(row => row.host).join(', ')}` : ''
    return {
      ruleId: first.check,
      severity: first.status === 'fail' ? 'error' as const : first.status === 'warn' ? 'warn' as const : 'info' as const,
      kind: first.kind ?? 'environment' as const,
      ...(first.openOnly ? {openOnly: true} : {}),
      message: spelled.join('; ') + more,
      ...(first.fix ? {fix: first.fix} : {}),
      ...(first.status === 'skip' ? {notEvaluable: true} : {}),
      evidence: group.map(row => ({value: {host: row.host, check: row.check, status: row.status, detail: row.detail}})),
    }
  })
}

export interface EngineReadiness {
  ready: boolean
  /** the checks of this engine that failed, as check@host */
  failed: string[]
}

/** Per engine whose checks ran: ready when none of them failed on any host. A check that needs a run did not run. */
export function engineReadiness(rows: readonly CheckRow[]): Record<string, EngineReadiness> {
  const engines: Record<string, EngineReadiness> = {}
  for (const row of rows) {
    if (!row.engine || row.needsRun) continue
    const entry = engines[row.engine] ??= {ready: true, failed: []}
    if (row.status === 'fail') {
      entry.ready = false
      entry.failed.push(`${row.check}@${row.host}`)
    }
  }
  return engines
}

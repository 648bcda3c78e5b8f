import type {Finding} from '../verify/finding.js'
import type {CheckResult} from './check.js'

/**
 * A check's result from what an evaluation that speaks in Findings (a rules
 * gate, one REST exchange shared by several checks) found under the check's
 * id: the worst of them sets the status (error → fail, not evaluable → skip,
 * warn → warn, info → ok: advice, kept in the detail), their messages the detail.
 */
export function resultOfFindings(findings: readonly Finding[], okDetail: string): CheckResult {
  if (findings.length === 0) return {status: 'ok', detail: okDetail}
  const worst = findings.find(f => f.severity === 'error') ?? findings.find(f => f.severity === 'warn' && !f.notEvaluable) ?? findings.find(f => f.notEvaluable) ?? findings[0]
  const status = worst.severity === 'error' ? 'fail' : worst.notEvaluable ? 'skip' : worst.severity === 'warn' ? 'warn' : 'ok'
  const kind = worst.kind === 'input' || worst.kind === 'rule' ? worst.kind : 'environment'
  return {status, detail: findings.map(f => f.message).join('; '), ...(worst.fix ? {fix: worst.fix} : {}), kind, ...(worst.openOnly ? {openOnly: true} : {})}
}

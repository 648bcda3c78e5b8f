import type {Finding} from './finding.js'

const ORDER = {error: 0, warn: 1, info: 2} as const

/** Findings grouped by rule, worst first: rule id, severity, count, then each message with its fix and evidence. */
export function renderFindingsByRule(findings: readonly Finding[], {maxPerRule = 20} = {}): string {
  if (findings.length === 0) return 'no findings'
  const byRule = new Map<string, Finding[]>()
  for (const finding of findings) byRule.set(finding.ruleId, [...byRule.get(finding.ruleId) ?? [], finding])
  const rules = [...byRule].sort(([a, fa], [b, fb]) => worst(fa) - worst(fb) || a.localeCompare(b))
  const lines: string[] = []
  for (const [ruleId, list] of rules) {
    const severity = (['error', 'warn', 'info'] as const)[worst(list)]
    const notEvaluable = list.filter(finding => finding.notEvaluable).length
    lines.push(`${severity.toUpperCase().padEnd(5)} ${ruleId}  (${list.length}${notEvaluable ? `, ${notEvaluable} not evaluable` : ''})`)
    for (const finding of list.slice(0, maxPerRule)) {
      lines.push(`  - ${finding.message}`)
      if (finding.fix) lines.push(`    fix: ${finding.fix}`)
      const evidence = (finding.evidence ?? []).slice(0, 3).map(item => [item.file, item.path].filter(Boolean).join(' @ ') + (item.value === undefined ? '' : ` = ${JSON.stringify(item.value)}`))
      if (evidence.length > 0) lines.push(`    evidence: ${evidence.join('; ')}`)
    }
    if (list.length > maxPerRule) lines.push(`  … ${list.length - maxPerRule} more (use --json for all)`)
  }
  return lines.join('\n')
}

function worst(findings: readonly Finding[]): number {
  return Math.min(...findings.map(finding => ORDER[finding.severity]))
}

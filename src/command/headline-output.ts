import type {RunHeadline, RunHeadlineReader} from '../registry/run-headline.js'
import type {RunRecord} from '../results/run-record.js'
import {formatDuration} from '../ux/format.js'
import {formatFigureValue, renderFigure} from '../ux/progress-line.js'
import type {ProgressSnapshot} from '../ux/progress.js'
import type {Finding} from '../verify/finding.js'

/** A rule that decided the run's category, once however many findings it gave. */
export interface DecidingRule {
  ruleId: string
  severity: Finding['severity']
  message: string
  fix?: string
  /** how many findings of the rule there were (the message is the first's) */
  findings: number
}

/** The `headline` field of a benchmark command's --json, and what its human output shows at the end of a run. */
export interface HeadlineOutput extends RunHeadline {
  status: RunRecord['status']
  category: RunRecord['category']
  /** one per rule that made the category what it is: the errors of an INVALID run, the OPEN-only conditions of an OPEN one */
  deciding: DecidingRule[]
  /** a run that did not complete: the last figures its live view showed */
  measuredSoFar?: ProgressSnapshot
}

/** The rule id of the line saying the run was asked for the OPEN division, when no rule made it OPEN. */
export const OPEN_DIVISION_REQUESTED = 'mlps.division'

export function decidingRules(record: RunRecord): DecidingRule[] {
  const decides = (finding: Finding) => record.category === 'INVALID' || record.category === 'UNVERIFIED' ? finding.severity === 'error' : record.category === 'OPEN' && finding.openOnly === true
  const byRule = new Map<string, DecidingRule>()
  for (const finding of record.findings.filter(decides)) {
    const seen = byRule.get(finding.ruleId)
    if (seen) seen.findings++
    else byRule.set(finding.ruleId, {ruleId: finding.ruleId, severity: finding.severity, message: finding.message, fix: finding.fix, findings: 1})
  }
  const deciding = [...byRule.values()]
  if (record.category === 'OPEN' && deciding.length === 0 && record.division === 'open') {
    deciding.push({ruleId: OPEN_DIVISION_REQUESTED, severity: 'info', message: 'the run was asked for the OPEN division (--open or division: open)', findings: 1})
  }
  return deciding
}

export function headlineOutput(record: RunRecord, reader: RunHeadlineReader | undefined, snapshot: ProgressSnapshot | undefined): HeadlineOutput {
  const headline = reader?.(record) ?? {sections: []}
  return {
    status: record.status, category: record.category, ...headline, deciding: decidingRules(record),
    ...(record.status !== 'COMPLETED' && snapshot ? {measuredSoFar: snapshot} : {}),
  }
}

function figureText(value: number | readonly number[] | null): string {
  if (value === null) return 'not measured'
  return typeof value === 'number' ? formatFigureValue(value) : value.map(formatFigureValue).join(', ')
}

/** The human lines: figures, warnings, what a stopped run measured, then the category with one line per deciding rule. */
export function renderHeadlineOutput(summary: HeadlineOutput): string[] {
  const lines: string[] = []
  for (const section of summary.sections) {
    const indent = section.title ? '    ' : '  '
    if (section.title) lines.push(`  ${section.title}:`)
    const width = Math.max(...section.figures.map(figure => figure.label.length)) + 1
    for (const figure of section.figures) {
      const value = figureText(figure.value)
      lines.push(`${indent}${`${figure.label}:`.padEnd(width)} ${value}${figure.value === null || !figure.unit ? '' : ` ${figure.unit}`}${figure.note ? `  (${figure.note})` : ''}`)
    }
  }
  for (const warning of summary.warnings ?? []) lines.push(`  warning: ${warning}`)
  const soFar = summary.measuredSoFar
  if (soFar) {
    const {update} = soFar
    const parts = [
      update.total ? `${update.done}/${update.total}` : String(update.done),
      ...(update.figures ?? []).map(renderFigure),
      ...Object.entries(update.fields ?? {}).map(([key, value]) => `${key} ${value}`),
    ]
    lines.push(`  measured so far (${soFar.stage}, ${formatDuration(soFar.elapsedSeconds)} in): ${parts.join('  ')}`)
  }
  lines.push(`  category: ${summary.category}${summary.deciding.length > 0 ? ', because:' : ''}`)
  for (const rule of summary.deciding) {
    lines.push(`    [${rule.ruleId}] ${rule.message}${rule.findings > 1 ? ` (and ${rule.findings - 1} more like it)` : ''}${rule.fix ? ` (fix: ${rule.fix})` : ''}`)
  }
  return lines
}

import type {RulesEdition} from '../registry/definitions.js'
import type {Category, Finding} from '../verify/finding.js'
import type {VerificationReport} from '../verify/evaluate.js'
import type {GroupIdentity, LoadedTree, RunGroup, SystemDescription} from '../verify/loaded-run.js'
import {needClaims, type ReadinessNeed, type ReadinessSubject} from './readiness-need.js'

/**
 * missing: verify finds an error (or a need's input is absent); unchecked: a rule could not judge;
 * open: a condition that keeps the result out of CLOSED without making it INVALID.
 */
export type StatusKind = 'missing' | 'unchecked' | 'open'

export interface StatusItem {
  kind: StatusKind
  /** `<division>/<org>/<system>`, or undefined for the submission as a whole */
  system?: string
  /** what the line is about: "<benchmark> <model> <accelerator>", "systems/<system>.yaml", "submission" */
  subject: string
  /** the workload folder or system file the line is about, relative to the tree root */
  path?: string
  line: string
  /** the rules whose findings gave the line */
  rules: string[]
  findings: number
}

export interface StatusDone {
  system?: string
  subject: string
  path: string
  line: string
  category?: Category
}

export interface StatusReport {
  edition: string
  /** what `mlps verify` would say of the tree */
  category: Category
  /** nothing is missing */
  ready: boolean
  items: StatusItem[]
  done: StatusDone[]
}

const systemKey = (identity: {division?: string; organization?: string; system?: string; name?: string}) =>
  identity.division && identity.organization ? `${identity.division}/${identity.organization}/${identity.system ?? identity.name ?? '?'}` : undefined

export const groupSubject = (group: GroupIdentity) => [group.benchmark ?? '?', group.model, group.accelerator].filter(Boolean).join(' ')

/**
 * What a tree still needs before `verify` would call it CLOSED, from the
 * verification's findings: each need of the edition words the findings of
 * its rules on one subject; errors no need claims are listed by rule.
 * `known` adds what was found missing elsewhere.
 */
export function readiness(tree: LoadedTree, report: VerificationReport, edition: RulesEdition, known: readonly StatusItem[] = []): StatusReport {
  const needs = edition.readiness ?? []
  // what the tree's own records say is missing (campaigns' leaves), which no finding can
  const items: StatusItem[] = [...known]
  const done: StatusDone[] = []

  report.groups.forEach((verdict, index) => {
    const group: RunGroup = tree.groups[index]
    const found = subjectItems(needs, 'group', verdict.findings, {group}, {system: systemKey(verdict), subject: groupSubject(verdict), path: verdict.path})
    items.push(...found)
    if (!found.some(item => item.kind === 'missing')) {
      const invocations = group.runs.length
      done.push({system: systemKey(verdict), subject: groupSubject(verdict), path: verdict.path, line: `${invocations} run invocation${invocations === 1 ? '' : 's'}, nothing missing`, category: verdict.category})
    }
  })
  report.systems.forEach((verdict, index) => {
    const system: SystemDescription = tree.systems[index]
    const subject = `systems/${system.path.split('/').at(-1)}`
    const found = subjectItems(needs, 'system', verdict.findings, {system}, {system: systemKey(system), subject, path: system.path})
    items.push(...found)
    if (!found.some(item => item.kind === 'missing') && (system.format === 'yaml' || system.format === 'json')) done.push({system: systemKey(system), subject, path: system.path, line: 'complete'})
  })
  items.push(...subjectItems(needs, 'submission', report.submission, {}, {subject: 'submission'}))
  return {edition: report.edition, category: report.category, ready: !items.some(item => item.kind === 'missing'), items, done}
}

function subjectItems(needs: readonly ReadinessNeed[], scope: ReadinessNeed['scope'], findings: readonly Finding[], about: Omit<ReadinessSubject, 'findings'>,
  where: Pick<StatusItem, 'system' | 'subject' | 'path'>): StatusItem[] {
  const items: StatusItem[] = []
  const claimed = new Set<Finding>()
  const item = (kind: StatusKind, line: string, of: readonly Finding[]): StatusItem =>
    ({kind, ...where, line, rules: [...new Set(of.map(finding => finding.ruleId))].sort(), findings: of.length})
  // named needs first, so a catch-all need of the scope takes only what they leave
  for (const need of [...needs.filter(n => n.scope === scope && n.rules), ...needs.filter(n => n.scope === scope && !n.rules)]) {
    const mine = findings.filter(finding => !claimed.has(finding) && needClaims(need, finding) &&
      (finding.severity === 'error' || (need.countsNotEvaluable === true && finding.notEvaluable === true)))
    if (mine.length === 0) continue
    for (const finding of mine) claimed.add(finding)
    const lines = need.describe({...about, findings: mine})
    for (const line of Array.isArray(lines) ? lines : [lines]) items.push(item('missing', line, mine))
  }
  const rest = findings.filter(finding => !claimed.has(finding))
  for (const [kind, of] of [
    ['missing', rest.filter(finding => finding.severity === 'error')],
    ['unchecked', rest.filter(finding => finding.notEvaluable)],
    ['open', rest.filter(finding => finding.openOnly && finding.severity !== 'error')],
  ] as const) {
    for (const [ruleId, same] of byRule(of)) {
      items.push(item(kind, `${ruleId}: ${shorten(same[0].message, where.path)}${same.length > 1 ? ` (and ${same.length - 1} more)` : ''}`, same))
    }
  }
  return items
}

/** a message about a run of the subject names the run below the subject's folder, not the whole path again */
function shorten(message: string, path: string | undefined): string {
  if (!path) return message
  const notEvaluable = 'not evaluable: '
  if (message.startsWith(notEvaluable)) return notEvaluable + shorten(message.slice(notEvaluable.length), path)
  if (message.startsWith(`${path}: `)) return message.slice(path.length + 2)
  return message.startsWith(`${path}/`) ? message.slice(path.length + 1) : message
}

function byRule(findings: readonly Finding[]): Array<[string, Finding[]]> {
  const groups = new Map<string, Finding[]>()
  for (const finding of findings) groups.set(finding.ruleId, [...groups.get(finding.ruleId) ?? [], finding])
  return [...groups]
}

import type {Finding} from '../verify/finding.js'
import type {RunGroup, SystemDescription} from '../verify/loaded-run.js'

/** What `mlps status` hands a need to word: the subject its findings are about, and those findings. */
export interface ReadinessSubject {
  group?: RunGroup
  system?: SystemDescription
  /** the need's findings on this subject (errors, and not-evaluable ones when the need counts them) */
  findings: readonly Finding[]
}

/**
 * A rules edition's wording of what is still missing, for `mlps status`:
 * the findings of some rules on one workload, system description or the
 * whole submission, said as what remains to be done ("3 of 6 runs",
 * "read invocation missing", "12 fields to fill"). Findings no need claims
 * are shown by their rule and message.
 */
export interface ReadinessNeed {
  scope: 'group' | 'system' | 'submission'
  /** rule numbers or ids ("3.4.2" matches "3.4.2 trainingFilesystemCheck"); absent: every rule of the scope no other need claims */
  rules?: readonly string[]
  /** a rule that could not judge for want of an input counts as missing that input (a file the tool writes) */
  countsNotEvaluable?: boolean
  /** the line(s), without the subject's name */
  describe(subject: ReadinessSubject): string | string[]
}

/** Whether a finding's rule is one a need names: its full id, or its number followed by the name. */
export function needClaims(need: ReadinessNeed, finding: Finding): boolean {
  if (!need.rules) return true
  return need.rules.some(rule => finding.ruleId === rule || finding.ruleId.startsWith(`${rule} `))
}

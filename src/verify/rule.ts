import type {Evidence, Severity} from './finding.js'
import type {Division, LoadedRun, LoadedTree, RunGroup, SystemDescription} from './loaded-run.js'

/** What a rule looks at: one run, the runs of one workload, one system description, or the whole tree. */
export type RuleScope = 'run' | 'group' | 'system' | 'submission'

export interface RuleSubjects {
  run: LoadedRun
  group: RunGroup
  system: SystemDescription
  submission: LoadedTree
}

export type RuleOutcome =
  | {status: 'pass'}
  | {status: 'fail'; message: string; fix?: string; evidence?: Evidence[]; openOnly?: boolean; severity?: Severity; kind?: FailureKind}
  | {status: 'notEvaluable'; message: string; fix?: string; evidence?: Evidence[]}

export interface RuleContext {
  /** the edition being applied, e.g. "3.0" */
  edition: string
  /** readings the user may choose (e.g. the per-host rank bound of §4.6.2), from the edition's defaults and the config */
  options: Readonly<Record<string, unknown>>
  tree: LoadedTree
  /** the group a run belongs to, for run-scope rules that compare siblings */
  group?: RunGroup
}

/**
 * One rule of a rules edition. `id` is the Rules.md number and a readable
 * name (`3.3.2 trainingAcceleratorUtilization`); `severity` is the default
 * an edition may override. A rule whose inputs are missing returns
 * notEvaluable — it never passes silently.
 */
export interface Rule<S extends RuleScope = RuleScope> {
  id: string
  scope: S
  /** one line: what the rule requires */
  title: string
  /** where the rule comes from, e.g. "rules.md §1.1 (R 3.3.2)" */
  source: string
  severity: Severity
  /** benchmark folders it applies to; all when absent */
  benchmarks?: readonly string[]
  /** run scope: commands it applies to (datasize, datagen, run); all when absent */
  commands?: readonly string[]
  /** divisions it applies to; both when absent */
  divisions?: readonly Division[]
  check(subject: RuleSubjects[S], context: RuleContext): RuleOutcome | RuleOutcome[]
}

export type AnyRule = {[S in RuleScope]: Rule<S>}[RuleScope]

export const pass = (): RuleOutcome => ({status: 'pass'})

/** `input`: the run's files hold what no run can produce (a corrupted or edited result), so reports must not publish its figures */
export type FailureKind = 'rule' | 'input'

export function fail(message: string, details: {fix?: string; evidence?: Evidence[]; openOnly?: boolean; severity?: Severity; kind?: FailureKind} = {}): RuleOutcome {
  return {status: 'fail', message, ...details}
}

export function notEvaluable(message: string, details: {fix?: string; evidence?: Evidence[]} = {}): RuleOutcome {
  return {status: 'notEvaluable', message, ...details}
}

/** Identity function that gives a rule its scope-specific types. */
export function defineRule<S extends RuleScope>(rule: Rule<S>): Rule<S> {
  return rule
}

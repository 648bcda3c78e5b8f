import type {ReportChart} from '../registry/benchmark-results.js'
import type {RulesEdition} from '../registry/definitions.js'
import type {GroupVerdict} from '../verify/evaluate.js'
import type {Category, Finding} from '../verify/finding.js'
import type {RunGroup} from '../verify/loaded-run.js'
import type {ResultsCatalogue} from '../verify/results-catalogue.js'

/** One run's figures, for the per-run tables and charts. */
export interface RunFigures {
  path: string
  counted: boolean
  /** what the benchmark shows per run, by label */
  figures: Record<string, number | undefined>
}

/** One row per (division, organization, system, benchmark, model, accelerator) workload. */
export interface ReportRow {
  path: string
  division?: string
  organization?: string
  system?: string
  benchmark?: string
  model?: string
  accelerator?: string
  category: Category
  /** runs whose metrics count (without a warm-up) */
  runs: number
  hosts?: number
  accelerators?: number
  /** the benchmark's metric columns; null where an input was missing, with the reason in `missing` */
  metrics: Record<string, number | null>
  missing: Record<string, string>
  runFigures: RunFigures[]
  /** the benchmark's charts of the workload */
  charts: ReportChart[]
  /** every run leaf of the workload, relative to the results folder */
  runLeaves: string[]
  /**
   * Errors and warnings (not the "not evaluable" ones) about the group as a whole (its runs differ in parameters, too few runs),
   * not about one of its runs: the report puts them at the top of the group.
   */
  groupFindings: Finding[]
}

/**
 * Aggregate one group into a row with the columns its benchmark declares,
 * over the runs that count: only completed runs, and of those the ones the
 * edition counts (v3.0: not the warm-up). A column any counted run lacks is
 * null with the reason, never an average of a partial list.
 */
export function buildRow(group: RunGroup, verdict: GroupVerdict | undefined, edition: RulesEdition, catalogue: ResultsCatalogue): {row: ReportRow; findings: Finding[]} {
  // a run that did not complete never counts, nor takes a counted run's place (the warm-up is the first completed run)
  const completed = {...group, runs: group.runs.filter(run => (run.status ?? 'COMPLETED') === 'COMPLETED')}
  const counting = new Set(edition.countedRuns ? edition.countedRuns(completed) : completed.runs)
  const countedRuns = group.runs.filter(run => counting.has(run))
  const benchmark = catalogue.byFolder(group.benchmark)
  const report = benchmark?.results.report
  const row: ReportRow = {
    path: group.path, division: group.division, organization: group.organization, system: group.system,
    benchmark: group.benchmark, model: group.model, accelerator: group.accelerator,
    category: verdict?.category ?? 'UNVERIFIED', runs: countedRuns.length,
    hosts: countedRuns[0]?.numHosts, accelerators: countedRuns[0]?.numProcesses,
    metrics: {}, missing: {},
    runFigures: group.runs.map(run => ({path: run.path, counted: counting.has(run), figures: report?.runFigures?.(run) ?? {}})),
    charts: [],
    runLeaves: [...group.datasize, ...group.datagen, ...group.runs].map(run => run.path),
    groupFindings: groupLevel(verdict),
  }
  const findings: Finding[] = []
  const untrusted = untrustedRuns(countedRuns, verdict)
  for (const figures of row.runFigures.filter(figures => untrusted.has(figures.path))) figures.figures = {}
  if (report) {
    const cells = report.aggregate(group, countedRuns)
    for (const column of report.columns) {
      const cell = untrusted.size > 0 ? {reason: `${[...untrusted.values()].join('; ')}`}
        : cells[column.id] ?? {reason: `the ${benchmark.name} benchmark gave no value for ${column.id}`}
      const value = cell.value !== undefined && !Number.isFinite(cell.value) ? undefined : cell.value
      row.metrics[column.id] = value ?? null
      if (value === undefined) row.missing[column.id] = cell.reason ?? `${column.id} over the counted runs is ${cell.value}, not a finite number`
    }
    row.charts = report.charts?.(group.runs.map(run => ({run, counted: counting.has(run)})), row.metrics) ?? []
  } else {
    findings.push({ruleId: 'report.noColumns', severity: 'info', kind: 'input', evidence: [{file: group.path}],
      message: `${group.path}: ${group.benchmark === undefined ? 'no installed benchmark recognises these runs' : `no installed benchmark reports the "${group.benchmark}" folder`}, so the row has no metric columns`,
      fix: 'install the plugin of the benchmark that wrote these runs (mlps plugins install ...)'})
  }
  findings.push(...Object.entries(row.missing).map(([column, reason]) => ({
    ruleId: 'report.metricMissing', severity: 'warn' as const, kind: 'input' as const,
    message: `${group.path}: ${column} is n/a (${reason})`, evidence: [{file: group.path, path: column}],
  })))
  return {row, findings}
}

/**
 * Counted runs whose files are broken or hold figures no run can produce
 * (errors of kind `input`: unreadable, missing, out of range), with why: no
 * figure of theirs may enter a published mean, nor stand for the workload.
 */
function untrustedRuns(counted: readonly RunGroup['runs'][number][], verdict: GroupVerdict | undefined): Map<string, string> {
  const untrusted = new Map<string, string>()
  for (const run of counted) {
    const broken = verdict?.runs.find(candidate => candidate.path === run.path)?.findings.find(finding => finding.severity === 'error' && finding.kind === 'input')
    if (broken) untrusted.set(run.path, `${run.path} is not reported: ${broken.ruleId}: ${broken.message}`)
  }
  return untrusted
}

/** The group's findings that no single run's findings hold: its group rules' own. */
function groupLevel(verdict: GroupVerdict | undefined): Finding[] {
  if (!verdict) return []
  const ofRuns = new Set(verdict.runs.flatMap(run => run.findings))
  return verdict.findings.filter(finding => !ofRuns.has(finding) && (finding.severity === 'error' || finding.severity === 'warn') && !finding.notEvaluable)
}

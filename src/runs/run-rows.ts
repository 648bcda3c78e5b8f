import {type ProcessState, processState} from '../launch/process-identity.js'
import type {Category, Finding} from '../verify/finding.js'
import type {VerificationReport} from '../verify/evaluate.js'
import type {LoadedRun, LoadedTree} from '../verify/loaded-run.js'
import type {ResultsCatalogue} from '../verify/results-catalogue.js'

/** One run leaf as `mlps runs list` shows it. */
export interface RunRow {
  /** relative to the tree root */
  path: string
  absolutePath: string
  benchmark?: string
  model?: string
  accelerator?: string
  division?: string
  organization?: string
  system?: string
  command?: string
  status?: string
  /** a RUNNING run's mlps process: alive, gone (a stale record, the process was killed) or unknown (it ran on another host) */
  liveness?: ProcessState
  category: Category
  startedAt?: string
  engine?: string
  /** the benchmark's first per-run figure */
  headline?: {label: string; value: number}
  findings: Finding[]
}

/** Every run of a verified tree, oldest first, with its category and its benchmark's headline figure. */
export function runRows(tree: LoadedTree, report: VerificationReport, catalogue: ResultsCatalogue): RunRow[] {
  const verdicts = new Map(report.groups.flatMap(group => group.runs.map(run => [run.path, run] as const)))
  const rows = tree.runs.map(run => {
    const verdict = verdicts.get(run.path)
    const ran = run.record?.invocation.process
    return {
      path: run.path, absolutePath: run.absolutePath, benchmark: run.benchmark, model: run.model, accelerator: run.accelerator,
      division: run.division, organization: run.organization, system: run.system, command: run.command ?? 'run', status: run.status,
      ...run.status === 'RUNNING' ? {liveness: ran ? processState(ran) : {state: 'unknown' as const, detail: 'the record names no process'}} : {},
      category: verdict?.category ?? 'UNVERIFIED', startedAt: run.startedAt?.toISOString(), engine: run.engine?.name,
      headline: headlineOf(run, catalogue), findings: verdict?.findings ?? run.problems,
    }
  })
  return rows.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.path.localeCompare(b.path))
}

/** A run's figures as its benchmark reports them per run (label → value), the defined ones. */
export function runFigures(run: LoadedRun, catalogue: ResultsCatalogue): Array<{label: string; value: number}> {
  const figures = catalogue.byFolder(run.benchmark)?.results.report?.runFigures?.(run) ?? {}
  return Object.entries(figures).flatMap(([label, value]) => value === undefined ? [] : [{label, value}])
}

/** RUNNING as a table shows it: `RUNNING (stale)` once its process is gone, `RUNNING (?)` where that cannot be told. */
export function shownStatus(row: RunRow): string | undefined {
  if (row.status !== 'RUNNING' || !row.liveness) return row.status
  return row.liveness.state === 'alive' ? 'RUNNING' : row.liveness.state === 'gone' ? 'RUNNING (stale)' : 'RUNNING (?)'
}

function headlineOf(run: LoadedRun, catalogue: ResultsCatalogue): RunRow['headline'] {
  return runFigures(run, catalogue)[0]
}

export interface RunFilter {
  benchmark?: string
  model?: string
  accelerator?: string
  system?: string
  status?: string
  category?: string
  command?: string
  division?: string
  /** ISO time: runs started at or after it */
  since?: string
  until?: string
}

const same = (value: string | undefined, wanted: string | undefined) => wanted === undefined || value?.toLowerCase() === wanted.toLowerCase()

export function filterRows(rows: readonly RunRow[], filter: RunFilter): RunRow[] {
  const since = filter.since ? Date.parse(filter.since) : undefined
  const until = filter.until ? Date.parse(filter.until) : undefined
  return rows.filter(row => same(row.benchmark, filter.benchmark) && same(row.model, filter.model) && same(row.accelerator, filter.accelerator) &&
    same(row.system, filter.system) && same(row.status, filter.status) && same(row.category, filter.category) && same(row.command, filter.command) &&
    same(row.division, filter.division) &&
    (since === undefined || (row.startedAt !== undefined && Date.parse(row.startedAt) >= since)) &&
    (until === undefined || (row.startedAt !== undefined && Date.parse(row.startedAt) <= until)))
}

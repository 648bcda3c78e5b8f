import type {Evidence, Finding} from './finding.js'
import type {LoadedRun} from './loaded-run.js'

/**
 * The engines' per-rank result files that the readers do not parse but the
 * rules require in every leaf of those benchmarks (R 2.1.14–2.1.26:
 * `*output.json`, `*per_epoch_stats.json`): the loader still checks that
 * each one is a readable JSON object, so a truncated one is named.
 */
export const RANK_RESULT_FILE = /^(?:[^/]+\/)?(?:(?:\d+_)?(?:per_epoch_stats|output)|statistics)\.json$/

/** a figure named a percentage cannot exceed 100 % (AU, CPU busy) */
const PERCENTAGE = /percent/i
/** how many impossible figures one run names before it says "and more" */
const NAMED_FIGURES = 5

/**
 * What no reading of a completed measured run can leave out: the summary
 * its engine wrote. A run leaf whose summary is missing holds no result,
 * whatever its record copied from it.
 */
export function missingResultFindings(run: LoadedRun): Finding[] {
  if ((run.command ?? 'run') !== 'run' || run.benchmark === undefined) return []
  if (run.status !== undefined && run.status !== 'COMPLETED') return []
  if (run.summaries.length > 0 || run.problems.some(problem => problem.severity === 'error')) return []
  return [{ruleId: 'mlps.run.resultMissing', severity: 'error', kind: 'input', evidence: [{file: run.path}],
    message: `${run.path}: no summary of the run is in the leaf (summary.json), so it holds no result that can count`,
    fix: 'restore the summary.json the engine wrote for this run, or remove the run folder (and re-run it) if it is lost'}]
}

/**
 * Figures outside their possible range: not finite (a JSON `1e999` reads as
 * Infinity), negative (no count, rate, size or duration is), or a
 * percentage above 100. Checked in the run's metrics and in every summary
 * its reader kept, so a summary edited behind its record is seen too.
 */
export function figureRangeFindings(run: LoadedRun): Finding[] {
  const impossible: Array<Evidence & {why: string}> = []
  const look = (value: unknown, file: string, path: string, key: string): void => {
    if (typeof value === 'number') {
      const why = !Number.isFinite(value) ? 'is not a finite number' : value < 0 ? 'is negative' : PERCENTAGE.test(key) && value > 100 ? 'is a percentage above 100' : undefined
      if (why) impossible.push({file, path, value: String(value), why})
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => look(item, file, `${path}[${index}]`, key))
    } else if (value && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) look(item, file, path ? `${path}.${name}` : name, name)
    }
  }
  const metricsFile = run.sources.record ?? run.sources.metadata ?? run.sources.summary ?? run.path
  for (const [key, value] of Object.entries(run.metrics)) look(value, metricsFile, run.sources.record ? `metrics.${key}` : key, key)
  for (const {file, summary} of run.summaries) look(summary, file, '', '')
  if (impossible.length === 0) return []
  const named = impossible.slice(0, NAMED_FIGURES).map(figure => `${figure.path} = ${figure.value} ${figure.why}`)
  const more = impossible.length > NAMED_FIGURES ? ` and ${impossible.length - NAMED_FIGURES} more` : ''
  return [{ruleId: 'mlps.run.figureRange', severity: 'error', kind: 'input', evidence: impossible.map(({file, path, value}) => ({file, path, value})),
    message: `${run.path}: figures outside their possible range: ${named.join('; ')}${more}; no engine measures them, so the result cannot count`,
    fix: 'the file was edited or corrupted after the run: restore it from the run that produced it, or re-run'}]
}

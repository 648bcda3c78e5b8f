import type {Evidence, LoadedRun} from 'mlps'

/** A value at a dotted path of a nested object (`dataset.num_files_train`). */
export function valueAt(object: unknown, path: string): unknown {
  let current: unknown = object
  for (const key of path.split('.')) {
    if (!current || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/** Numbers arrive as strings when they came from `--params` (rules.md §3 observations). */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return undefined
}

export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
  return undefined
}

/** The effective workload parameter, with evidence pointing at the file that holds it. */
export function parameter(run: LoadedRun, path: string): {value: unknown; evidence: Evidence} {
  const value = valueAt(run.parameters, path)
  const file = run.sources.record ?? run.sources.metadata ?? run.sources.config ?? run.path
  const prefix = run.sources.record ? 'parameters.effective.' : run.sources.metadata ? 'parameters.' : 'workload.'
  return {value, evidence: {file, path: `${prefix}${path}`, value}}
}

export function numberParameter(run: LoadedRun, path: string): {value?: number; evidence: Evidence} {
  const {value, evidence} = parameter(run, path)
  return {value: toNumber(value), evidence}
}

/** A record-length parameter under either spelling: v3 `record_length_bytes`, v1 `record_length`. */
export function recordLength(run: LoadedRun): {value?: number; evidence: Evidence} {
  const v3 = numberParameter(run, 'dataset.record_length_bytes')
  return v3.value === undefined ? numberParameter(run, 'dataset.record_length') : v3
}

/** Training files the run read: the effective parameter, else DLIO's summary. */
export function filesTrain(run: LoadedRun): {value?: number; evidence: Evidence} {
  const fromParameters = numberParameter(run, 'dataset.num_files_train')
  if (fromParameters.value !== undefined) return fromParameters
  const fromSummary = toNumber(run.metrics.num_files_train)
  return {value: fromSummary, evidence: {file: run.sources.summary ?? run.path, path: 'num_files_train', value: run.metrics.num_files_train}}
}

export function summaryEvidence(run: LoadedRun, path: string, value: unknown): Evidence {
  return {file: run.sources.record ?? run.sources.summary ?? run.path, path: run.sources.record ? `metrics.${path}` : `metric.${path}`, value}
}

export function modelKey(model: string | undefined): string | undefined {
  return model?.toLowerCase()
}

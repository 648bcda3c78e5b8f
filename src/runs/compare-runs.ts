import type {LoadedRun} from '../verify/loaded-run.js'
import type {ResultsCatalogue} from '../verify/results-catalogue.js'
import {runFigures} from './run-rows.js'

export interface ParameterDifference {
  /** dotted, as --param spells it */
  key: string
  a: unknown
  b: unknown
}

export interface FigureDifference {
  /** the benchmark's per-run label, or the metric's name */
  name: string
  a: number
  b: number
  /** (b − a) / a in %, undefined when a is 0 */
  differencePercent?: number
}

export interface RunComparison {
  a: string
  b: string
  parameters: ParameterDifference[]
  /** the benchmark's per-run figures first, then every other numeric metric both runs have */
  figures: FigureDifference[]
}

/** nested parameters as dotted keys; lists are values */
export function flatten(value: unknown, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into)
  } else if (prefix) {
    into[prefix] = value
  }
  return into
}

const percent = (a: number, b: number) => a === 0 ? undefined : (b - a) / a * 100

/** Two runs side by side: the parameters that differ, and their figures with the difference in %. */
export function compareRuns(a: LoadedRun, b: LoadedRun, catalogue: ResultsCatalogue): RunComparison {
  const paramsA = flatten(a.parameters)
  const paramsB = flatten(b.parameters)
  const parameters = [...new Set([...Object.keys(paramsA), ...Object.keys(paramsB)])].sort()
    .filter(key => JSON.stringify(paramsA[key]) !== JSON.stringify(paramsB[key]))
    .map(key => ({key, a: paramsA[key], b: paramsB[key]}))

  const figures: FigureDifference[] = []
  const figuresB = new Map(runFigures(b, catalogue).map(figure => [figure.label, figure.value]))
  for (const {label, value} of runFigures(a, catalogue)) {
    const other = figuresB.get(label)
    if (other !== undefined) figures.push({name: label, a: value, b: other, differencePercent: percent(value, other)})
  }
  for (const key of Object.keys(a.metrics).sort()) {
    const [x, y] = [a.metrics[key], b.metrics[key]]
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) figures.push({name: key, a: x, b: y, differencePercent: percent(x, y)})
  }
  return {a: a.path, b: b.path, parameters, figures}
}

import type {Evidence, LoadedRun, RuleOutcome} from 'mlps'
import {fail, notEvaluable, pass} from 'mlps/unstable'

/** A figure in a run's files that no run could have produced, and where it is. */
export interface ImpossibleFigure {
  message: string
  evidence: Evidence[]
}

/** The inputs of a bound that a run does not give, by name. */
export interface MissingInputs {
  missing: string[]
}

const isMissing = (inputs: object): inputs is MissingInputs => Array.isArray((inputs as Partial<MissingInputs>).missing)

/** The ceiling of one benchmark's throughput: what it is computed from (or what is missing), and the figures above it. */
export interface ThroughputBound<Inputs extends object> {
  inputs(run: LoadedRun): Inputs | MissingInputs
  impossible(run: LoadedRun, inputs: Inputs): ImpossibleFigure[]
}

/**
 * The check of every edition's "throughput possible" rule: not evaluable without the bound's inputs,
 * one error per impossible figure otherwise. The editions differ only in the fix they give.
 */
export function throughputPossible<Inputs extends object>(bound: ThroughputBound<Inputs>, fix: string): (run: LoadedRun) => RuleOutcome | RuleOutcome[] {
  return run => {
    const inputs = bound.inputs(run)
    if (isMissing(inputs)) return notEvaluable(`${run.path}: ${inputs.missing.join(', ')} unknown, so the throughput's ceiling is too`)
    const impossible = bound.impossible(run, inputs)
    if (impossible.length === 0) return pass()
    return impossible.map(figure => fail(`${run.path}: ${figure.message}`, {kind: 'input', evidence: figure.evidence, fix}))
  }
}

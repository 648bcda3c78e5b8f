import {AsyncSeriesHook, AsyncSeriesWaterfallHook} from 'tapable'
import type {Category, Finding} from '../verify/finding.js'
import type {RunContext} from './run-context.js'

/** What the verify hook threads from tap to tap. */
export interface Verdict {
  category: Category
  findings: Finding[]
}

/**
 * The five lifecycle hooks every benchmark command drives, in this order.
 * Taps name themselves after their plugin; order across plugins is set with
 * `stage` (see LifecycleStage), never by the order plugins happened to load.
 */
export interface Lifecycle {
  /** checks add Findings to ctx; nothing has started yet, nothing may start */
  readonly preValidate: AsyncSeriesHook<[RunContext]>
  /** results leaf exists; start snapshots, samplers, cache drops */
  readonly setup: AsyncSeriesHook<[RunContext]>
  /** the engine runs here (core tap at LifecycleStage.Engine) */
  readonly run: AsyncSeriesHook<[RunContext]>
  /** stop samplers, end snapshot, parse outputs into ctx.record */
  readonly collect: AsyncSeriesHook<[RunContext]>
  /** rules editions turn the record into findings and a category; no tap may hide another's findings */
  readonly verify: AsyncSeriesWaterfallHook<[Verdict, RunContext]>
}

/** Named stages for taps, lowest first. */
export const LifecycleStage = {
  /** core work that every other tap relies on (creating the leaf) */
  Core: -1000,
  /** collectors and environment probes */
  Environment: -100,
  /** default for plugin taps */
  Default: 0,
  /** the engine itself, inside `run` */
  Engine: 100,
  /** after the engine: output parsing, derived metrics */
  Derived: 200,
  /** reporting taps that read what every other tap produced */
  Report: 1000,
} as const

export function createLifecycle(): Lifecycle {
  return Object.freeze({
    preValidate: new AsyncSeriesHook<[RunContext]>(['ctx']),
    setup: new AsyncSeriesHook<[RunContext]>(['ctx']),
    run: new AsyncSeriesHook<[RunContext]>(['ctx']),
    collect: new AsyncSeriesHook<[RunContext]>(['ctx']),
    verify: new AsyncSeriesWaterfallHook<[Verdict, RunContext]>(['verdict', 'ctx']),
  })
}

export const LIFECYCLE_PHASES = ['preValidate', 'setup', 'run', 'collect', 'verify'] as const
export type LifecyclePhase = typeof LIFECYCLE_PHASES[number]

import type {EngineDefinition} from 'mlps'
import {NativeOptionsSchema, type NativeOptions} from './native-options.js'
import {executeDatagen, executeRun, planTraining} from './training/training-engine.js'
import {trainingPreflight} from './training/training-preflight.js'

/**
 * The built-in engine: emulates DLIO's training read workload on this host,
 * with DLIO-shaped outputs, so mlps does its main job with nothing else
 * installed. Its results are labelled native and never CLOSED.
 */
export const nativeEngine: EngineDefinition = {
  name: 'native',
  description: 'built-in emulation of the DLIO workloads on this host (no Python needed); never CLOSED',
  supports: {training: ['datagen', 'run']},
  closedEligible: false,
  optionsSchema: NativeOptionsSchema,
  preflight: trainingPreflight,
  plan: async ctx => planTraining(ctx),
  execute: async ctx => ctx.command === 'datagen'
    ? executeDatagen(ctx, (ctx.engineOptions as NativeOptions).datagenConcurrency)
    : executeRun(ctx),
}

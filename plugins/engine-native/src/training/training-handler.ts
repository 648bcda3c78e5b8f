import {type TrainingRunOptions, TrainingRunOptionsSchema} from '@mlps/run-options'
import type {BenchmarkHandler} from '../benchmark-handler.js'
import type {NativeOptions} from '../native-options.js'
import {executeDatagen, executeRun, planTraining} from './training-engine.js'
import {trainingChecks} from './training-preflight.js'

export const trainingHandler: BenchmarkHandler<TrainingRunOptions> = {
  commands: ['datagen', 'run'],
  runOptionsSchema: TrainingRunOptionsSchema,
  checks: trainingChecks,
  plan: async ctx => planTraining(ctx),
  execute: async ctx => ctx.command === 'datagen'
    ? executeDatagen(ctx, (ctx.engineOptions as NativeOptions).datagenConcurrency)
    : executeRun(ctx),
}

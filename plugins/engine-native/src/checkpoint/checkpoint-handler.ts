import {type CheckpointingRunOptions, CheckpointingRunOptionsSchema} from '@mlps/run-options'
import type {BenchmarkHandler} from '../benchmark-handler.js'
import {checkpointChecks, executeCheckpointing, planCheckpointing} from './checkpoint-engine.js'

export const checkpointHandler: BenchmarkHandler<CheckpointingRunOptions> = {
  commands: ['run'],
  runOptionsSchema: CheckpointingRunOptionsSchema,
  checks: checkpointChecks,
  plan: async ctx => planCheckpointing(ctx),
  execute: executeCheckpointing,
}

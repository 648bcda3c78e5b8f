import {type CheckpointingRunOptions, CheckpointingRunOptionsSchema} from '@mlps/run-options'
import type {BenchmarkHandler} from '../benchmark-handler.js'
import {checkpointPreflight, executeCheckpointing, planCheckpointing} from './checkpoint-engine.js'

export const checkpointHandler: BenchmarkHandler<CheckpointingRunOptions> = {
  commands: ['run'],
  runOptionsSchema: CheckpointingRunOptionsSchema,
  preflight: checkpointPreflight,
  plan: async ctx => planCheckpointing(ctx),
  execute: executeCheckpointing,
}

import type {BenchmarkHandler} from '../benchmark-handler.js'
import {checkpointChecks, executeCheckpointing, planCheckpointing} from './checkpoint-engine.js'

export const checkpointHandler: BenchmarkHandler = {
  commands: ['run'],
  checks: checkpointChecks,
  plan: async ctx => planCheckpointing(ctx),
  execute: executeCheckpointing,
}

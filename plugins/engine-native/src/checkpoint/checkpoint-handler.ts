import type {BenchmarkHandler} from '../benchmark-handler.js'
import {checkpointPreflight, executeCheckpointing, planCheckpointing} from './checkpoint-engine.js'

export const checkpointHandler: BenchmarkHandler = {
  commands: ['run'],
  preflight: checkpointPreflight,
  plan: async ctx => planCheckpointing(ctx),
  execute: executeCheckpointing,
}

import {type EngineDefinition, MlpsError, type RunContext} from 'mlps'
import type {BenchmarkHandler} from './benchmark-handler.js'
import {checkpointHandler} from './checkpoint/checkpoint-handler.js'
import {kvcacheHandler} from './kvcache/kvcache-handler.js'
import {NativeOptionsSchema} from './native-options.js'
import {trainingHandler} from './training/training-handler.js'
import {vectordbHandler} from './vectordb/vectordb-handler.js'

/** One entry per benchmark the native engine emulates. */
const handlers: Record<string, BenchmarkHandler> = {
  training: trainingHandler,
  checkpointing: checkpointHandler,
  vectordb: vectordbHandler,
  kvcache: kvcacheHandler,
}

/** Every handler's checks: each says which benchmark and commands it is about. */
export const handlerChecks = Object.values(handlers).flatMap(handler => handler.checks)

function handlerFor(ctx: RunContext): BenchmarkHandler {
  const handler = handlers[ctx.benchmark]
  if (!handler) throw new MlpsError(`the native engine does not emulate ${ctx.benchmark}`, {where: '--engine'})
  return handler
}

/**
 * The built-in engine: emulates the MLPerf Storage workloads on this host,
 * with the official engines' output shapes, so mlps does its main job with
 * nothing else installed. Its results are labelled native and never CLOSED.
 */
export const nativeEngine: EngineDefinition = {
  name: 'native',
  description: 'built-in emulation of the MLPerf Storage workloads on this host (no Python needed); never CLOSED',
  supports: Object.fromEntries(Object.entries(handlers).map(([benchmark, handler]) => [benchmark, handler.commands])),
  closedEligible: false,
  optionsSchema: NativeOptionsSchema,
  plan: ctx => handlerFor(ctx).plan(ctx),
  execute: ctx => handlerFor(ctx).execute(ctx),
}

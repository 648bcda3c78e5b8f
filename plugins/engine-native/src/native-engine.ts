import {requireRunOptions} from '@mlps/run-options'
import {type EngineDefinition, type EnginePlan, type EngineResult, MlpsError, type RunContext} from 'mlps'
import type {BenchmarkHandler} from './benchmark-handler.js'
import {checkpointHandler} from './checkpoint/checkpoint-handler.js'
import {kvcacheHandler} from './kvcache/kvcache-handler.js'
import {NativeOptionsSchema} from './native-options.js'
import {trainingHandler} from './training/training-handler.js'
import {vectordbHandler} from './vectordb/vectordb-handler.js'

/** A handler bound to one run, its options checked against the handler's schema. */
interface BoundHandler {
  plan(): Promise<EnginePlan>
  execute(): Promise<EngineResult>
}

function bind<Options extends Record<string, unknown>>(handler: BenchmarkHandler<Options>, ctx: RunContext): BoundHandler {
  const run = requireRunOptions(ctx, handler.runOptionsSchema, 'the native engine')
  return {plan: () => handler.plan(run), execute: () => handler.execute(run)}
}

/** One entry per benchmark the native engine emulates. */
const handlers = {
  training: trainingHandler,
  checkpointing: checkpointHandler,
  vectordb: vectordbHandler,
  kvcache: kvcacheHandler,
}

/** Every handler's checks: each says which benchmark and commands it is about. */
export const handlerChecks = Object.values(handlers).flatMap(handler => handler.checks)

const binders: Record<string, (ctx: RunContext) => BoundHandler> = {
  training: ctx => bind(trainingHandler, ctx),
  checkpointing: ctx => bind(checkpointHandler, ctx),
  vectordb: ctx => bind(vectordbHandler, ctx),
  kvcache: ctx => bind(kvcacheHandler, ctx),
}

function handlerFor(ctx: RunContext): BoundHandler {
  const binder = binders[ctx.benchmark]
  if (!binder) throw new MlpsError(`the native engine does not emulate ${ctx.benchmark}`, {where: '--engine'})
  return binder(ctx)
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
  plan: ctx => handlerFor(ctx).plan(),
  execute: ctx => handlerFor(ctx).execute(),
}

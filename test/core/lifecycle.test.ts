import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {LifecycleStage} from '../../src/lifecycle/lifecycle.js'
import {runLifecycle} from '../../src/lifecycle/run-lifecycle.js'
import type {EngineDefinition} from '../../src/registry/definitions.js'
import {createRegistry} from '../../src/registry/core-contribution.js'
import type {Registry} from '../../src/registry/registry.js'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {testContext} from '../helpers/run-context.js'

function engine(execute: EngineDefinition['execute'], extra: Partial<EngineDefinition> = {}): EngineDefinition {
  return {name: 'e', description: 'test engine', supports: {demo: ['run']}, closedEligible: true, plan: async () => ({engine: 'e', summary: 'plan'}), execute, ...extra}
}

/** A registry with the core's contribution and the plugins' given, tapped as the CLI taps it. */
function registryWith(plugins: Record<string, Parameters<Registry['add']>[1]> = {}): Registry {
  const registry = createRegistry()
  for (const [name, contribution] of Object.entries(plugins)) registry.add(name, contribution)
  registry.applyAll()
  return registry
}

function readRecord(leaf: string) {
  return RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')))
}

describe('lifecycle', () => {
  it('runs preValidate → setup → run → collect → verify in order and writes the record', async () => {
    const order: string[] = []
    const registry = registryWith({p1: {apiVersion: 1, apply(lifecycle) {
      lifecycle.preValidate.tapPromise('p1', async () => { order.push('preValidate') })
      lifecycle.setup.tapPromise('p1', async ctx => { order.push(`setup:${existsSync(ctx.leaf!)}`) })
      lifecycle.run.tapPromise({name: 'p1', stage: LifecycleStage.Derived}, async () => { order.push('after-engine') })
      lifecycle.collect.tapPromise('p1', async () => { order.push('collect') })
      lifecycle.verify.tapPromise('p1', async verdict => { order.push('verify'); return verdict })
    }}})
    const ctx = testContext({engine: engine(async () => { order.push('engine'); return {status: 'COMPLETED', metrics: {x: 1}} })})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.deepEqual(order, ['preValidate', 'setup:true', 'engine', 'after-engine', 'collect', 'verify'])
    assert.equal(outcome.exitCode, 0)
    const record = readRecord(outcome.leaf!)
    assert.equal(record.status, 'COMPLETED')
    assert.equal(record.metrics.x, 1)
    assert.equal(record.category, 'UNVERIFIED', 'no rules edition is installed')
    assert.ok(record.findings.some(f => f.ruleId === 'mlps.rules.edition' && f.notEvaluable))
    assert.deepEqual(Object.keys(record.timings.phases), ['preValidate', 'setup', 'run', 'collect', 'verify'])
  })

  it('gathers every preValidate problem and starts nothing', async () => {
    let setupRan = false
    const registry = registryWith({checks: {apiVersion: 1,
      checks: [{id: 'engine.space', title: 'space for the engine', runsOn: 'invocation', engine: 'e', run: async () => ({status: 'fail', detail: 'no space'})}],
      apply(lifecycle) {
        lifecycle.preValidate.tapPromise('a', async ctx => ctx.addFinding({ruleId: 'a', severity: 'error', kind: 'environment', message: 'no DLIO', fix: 'pip install'}))
        lifecycle.preValidate.tapPromise('b', async ctx => ctx.addFinding({ruleId: 'b', severity: 'error', kind: 'input', message: 'too few files'}))
        lifecycle.setup.tapPromise('c', async () => { setupRan = true })
      }}})
    let engineRan = false
    const ctx = testContext({engine: engine(async () => { engineRan = true; return {status: 'COMPLETED'} })})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(setupRan, false)
    assert.equal(engineRan, false)
    assert.equal(outcome.exitCode, 3, 'an environment problem makes it exit 3')
    const record = readRecord(outcome.leaf!)
    assert.equal(record.status, 'FAILED')
    assert.equal(record.category, 'INVALID')
    assert.deepEqual(record.findings.map(f => f.ruleId).sort(), ['a', 'b', 'engine.space'])
    assert.match(record.statusReason!, /no DLIO; too few files; no space/)
  })

  it('records FAILED with the reason when the engine throws, and still collects and verifies', async () => {
    let collected = false
    const registry = registryWith({p: {apiVersion: 1, apply(lifecycle) { lifecycle.collect.tapPromise('p', async () => { collected = true }) }}})
    const ctx = testContext({engine: engine(async () => { throw new Error('disk full (ENOSPC)') })})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(outcome.exitCode, 1)
    assert.ok(collected)
    const record = readRecord(outcome.leaf!)
    assert.equal(record.status, 'FAILED')
    assert.match(record.statusReason!, /ENOSPC/)
    assert.equal(record.category, 'INVALID')
  })

  it('records INTERRUPTED when the run is aborted', async () => {
    const abort = new AbortController()
    const ctx = testContext({signal: abort.signal, engine: engine(c => new Promise((_, reject) => {
      c.signal.addEventListener('abort', () => reject(new Error('stopped')))
      setTimeout(() => abort.abort('SIGINT'), 20)
    }))})
    const outcome = await runLifecycle(registryWith(), ctx, c => c.engine!.execute(c))
    assert.equal(outcome.exitCode, 130)
    assert.equal(readRecord(outcome.leaf!).status, 'INTERRUPTED')
  })

  it('records INTERRUPTED, and starts no engine, when the signal comes during setup', async () => {
    const abort = new AbortController()
    let engineRan = false
    // an engine that listens for 'abort' would never hear a signal that fired before it started
    const ctx = testContext({signal: abort.signal, engine: engine(async () => {
      engineRan = true
      return {status: 'COMPLETED'}
    })})
    const registry = registryWith({p1: {apiVersion: 1, apply(lifecycle) {
      lifecycle.setup.tapPromise('p1', async () => { abort.abort('SIGINT') })
    }}})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(engineRan, false)
    assert.equal(outcome.exitCode, 130)
    assert.equal(readRecord(outcome.leaf!).status, 'INTERRUPTED')
  })

  it('never lets an emulation engine be CLOSED', async () => {
    const registry = registryWith({rules: {apiVersion: 1, rulesEditions: [{name: '3.0', description: 'test', verifyRun: async () => []}]}})
    const ctx = testContext({engine: engine(async () => ({status: 'COMPLETED'}), {closedEligible: false})})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(outcome.record.category, 'OPEN')
    const closed = testContext({engine: engine(async () => ({status: 'COMPLETED'}))})
    assert.equal((await runLifecycle(registry, closed, c => c.engine!.execute(c))).record.category, 'CLOSED')
  })

  it('prints a plan on --dry-run and creates no leaf', async () => {
    const ctx = testContext({dryRun: true, engine: engine(async () => { throw new Error('must not run') })})
    const outcome = await runLifecycle(registryWith(), ctx, c => c.engine!.execute(c))
    assert.deepEqual(outcome.plan, {engine: 'e', summary: 'plan'})
    assert.equal(outcome.leaf, undefined)
    assert.equal(existsSync(ctx.config.resultsDir), false)
  })

  it('the core\'s own features are a contribution, registered first, that a plugin cannot shadow', () => {
    const registry = createRegistry()
    assert.equal([...registry.plugins.keys()][0], 'mlps')
    assert.equal(registry.checks.get('mlps.freeSpace')?.plugin, 'mlps')
    assert.equal(registry.checks.get('cluster.collector')?.plugin, 'mlps')
    assert.throws(() => registry.add('vendor', {apiVersion: 1, checks: [{id: 'mlps.freeSpace', title: 'mine', runsOn: 'controller', run: async () => ({status: 'ok', detail: ''})}]}),
      /check "mlps.freeSpace" is contributed by both mlps and vendor/)
  })

  it('two registries tap their own lifecycles: the engine runs once per run in each', async () => {
    let runs = 0
    const counted = engine(async () => { runs++; return {status: 'COMPLETED'} })
    for (const registry of [registryWith(), registryWith()]) await runLifecycle(registry, testContext({engine: counted}), c => c.engine!.execute(c))
    assert.equal(runs, 2)
  })

  it('refuses two plugins contributing the same engine, naming both', () => {
    const registry = createRegistry()
    registry.add('first', {apiVersion: 1, engines: [engine(async () => ({status: 'COMPLETED'}))]})
    assert.throws(() => registry.add('second', {apiVersion: 1, engines: [engine(async () => ({status: 'COMPLETED'}))]}), /engine "e" is contributed by both first and second/)
    assert.throws(() => registry.add('old', {apiVersion: 2 as 1}), /targets mlps plugin API 2/)
  })
})

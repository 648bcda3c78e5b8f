import assert from 'node:assert/strict'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {MlpsError} from '../../src/errors.js'
import {runLifecycle} from '../../src/lifecycle/run-lifecycle.js'
import type {EngineDefinition} from '../../src/registry/definitions.js'
import {createRegistry} from '../../src/registry/core-contribution.js'
import type {Registry} from '../../src/registry/registry.js'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {testContext} from '../helpers/run-context.js'

function engine(onRun: () => void): EngineDefinition {
  return {name: 'e', description: 'test engine', supports: {demo: ['run']}, closedEligible: true, plan: async () => ({engine: 'e', summary: 'plan'}),
    execute: async () => { onRun(); return {status: 'COMPLETED'} }}
}

function registryWith(apply: Parameters<Registry['add']>[1]['apply']): Registry {
  const registry = createRegistry()
  registry.add('p', {apiVersion: 1, apply})
  registry.applyAll()
  return registry
}

/** Every file and folder under `root`, relative to it, outside the private `.mlps/`. */
function countedTree(root: string): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root, {recursive: true, encoding: 'utf8'}).filter(path => !path.startsWith('.mlps')).sort()
}

describe('refused runs (lifecycle)', () => {
  it('a run stopped by preflight writes its record under .mlps/refused and nothing in the counted tree', async () => {
    let engineRan = false
    const registry = registryWith(lifecycle => {
      lifecycle.preValidate.tapPromise('p', async ctx => ctx.addFinding({ruleId: 'p.dataset', severity: 'error', kind: 'input', message: 'no dataset'}))
    })
    const ctx = testContext({engine: engine(() => { engineRan = true })})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(engineRan, false)
    assert.equal(outcome.exitCode, 2)
    assert.equal(outcome.refused, true)
    const resultsDir = ctx.config.resultsDir
    assert.deepEqual(countedTree(resultsDir), [])
    assert.match(relative(resultsDir, outcome.leaf!), /^\.mlps\/refused\/closed\/acme\/results\/sut\/demo\/m\/run\/\d{8}_\d{6}$/)
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(outcome.leaf!, 'metadata.json'), 'utf8')))
    assert.equal(record.status, 'FAILED')
    assert.match(record.statusReason!, /^preflight: no dataset/)
  })

  it('a setup that fails moves its leaf, with what setup wrote, to .mlps/refused and removes only the folders made for it', async () => {
    const registry = registryWith(lifecycle => {
      lifecycle.setup.tapPromise('p', async ctx => {
        writeFileSync(join(ctx.leaf!, 'start-snapshot.json'), '{}')
        throw new Error('host node07 unreachable')
      })
    })
    const ctx = testContext({engine: engine(() => assert.fail('the engine must not run'))})
    const resultsDir = ctx.config.resultsDir
    // a folder of the tree that was there before the run stays, with its content
    mkdirSync(join(resultsDir, 'closed', 'acme', 'systems'), {recursive: true})
    writeFileSync(join(resultsDir, 'closed', 'acme', 'systems', 'sut.yaml'), 'system: sut\n')
    const before = countedTree(resultsDir)
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(outcome.refused, true)
    assert.notEqual(outcome.exitCode, 0)
    assert.deepEqual(countedTree(resultsDir), before)
    assert.ok(outcome.leaf!.startsWith(join(resultsDir, '.mlps', 'refused')), outcome.leaf)
    assert.ok(existsSync(join(outcome.leaf!, 'start-snapshot.json')), 'what setup wrote travels with the record')
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(outcome.leaf!, 'metadata.json'), 'utf8')))
    assert.equal(record.status, 'FAILED')
    assert.match(record.statusReason!, /node07 unreachable/)
  })

  it('bad input found in setup exits 2, as the same problem found by preflight would', async () => {
    const registry = registryWith(lifecycle => {
      lifecycle.setup.tapPromise('p', async () => { throw new MlpsError('the checkpoint folder is inside the results dir', {fix: 'pass another --checkpoint-folder'}) })
    })
    const ctx = testContext({engine: engine(() => assert.fail('the engine must not run'))})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(outcome.exitCode, 2)
    assert.equal(outcome.refused, true)
    assert.deepEqual(countedTree(ctx.config.resultsDir), [])
  })

  it('a run that started and failed stays in the counted tree', async () => {
    const registry = registryWith(() => {})
    const ctx = testContext({engine: {...engine(() => {}), execute: async () => ({status: 'FAILED', reason: 'rank 1 exited 9'})}})
    const outcome = await runLifecycle(registry, ctx, c => c.engine!.execute(c))
    assert.equal(outcome.refused, undefined)
    assert.ok(outcome.leaf!.startsWith(join(ctx.config.resultsDir, 'closed', 'acme', 'results', 'sut')), outcome.leaf)
  })
})

import assert from 'node:assert/strict'
import {PLUGIN_API_VERSION, Registry} from '../../src/registry/registry.js'
import type {EngineDefinition} from '../../src/lifecycle/run-context.js'
import {officialEngineFix} from '../../src/verify/official-engine.js'

function engine(name: string, supports: Record<string, readonly string[]>, closedEligible: boolean): EngineDefinition {
  return {name, description: name, supports, closedEligible, plan: async () => ({engine: name, summary: name}), execute: async () => ({status: 'COMPLETED'})}
}

describe('the official engine an emulated run is told to use', () => {
  it('is the benchmark\'s own: each installed engine that may give CLOSED results for it, a third party\'s included', () => {
    const registry = new Registry()
    registry.add('first-party', {apiVersion: PLUGIN_API_VERSION, engines: [
      engine('dlio', {training: ['run'], checkpointing: ['run']}, true), engine('native', {training: ['run'], kvcache: ['run'], objectstore: ['run']}, false),
      engine('kvcache-py', {kvcache: ['run']}, true),
    ]})
    registry.add('mlps-plugin-objectstore', {apiVersion: PLUGIN_API_VERSION, engines: [engine('warp', {objectstore: ['run']}, true)]})
    assert.deepEqual(registry.officialEngines('kvcache'), ['kvcache-py'])
    assert.deepEqual(registry.officialEngines('training'), ['dlio'])
    assert.deepEqual(registry.officialEngines('objectstore'), ['warp'])
    assert.equal(officialEngineFix('kvcache', registry.officialEngines('kvcache')), 'run kvcache with --engine kvcache-py (its official engine) for a CLOSED submission')
    assert.equal(officialEngineFix('objectstore', registry.officialEngines('objectstore')), 'run objectstore with --engine warp (its official engine) for a CLOSED submission')
    assert.equal(officialEngineFix('vectordb', registry.officialEngines('vectordb')), 'no installed engine of vectordb can give CLOSED results: install the plugin of its official engine for a CLOSED submission')
  })
})

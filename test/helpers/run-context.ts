import {join} from 'node:path'
import {MlpsConfigSchema} from '../../src/config/schema.js'
import type {RunContext} from '../../src/lifecycle/run-context.js'
import type {EngineDefinition} from '../../src/registry/definitions.js'
import {RUN_RECORD_SCHEMA_VERSION} from '../../src/results/run-record.js'
import {createProgress} from '../../src/ux/progress.js'
import type {Finding} from '../../src/verify/finding.js'
import {tempDir} from './cli.js'

/** A RunContext as BenchmarkCommand builds it, for driving the lifecycle directly. */
export function testContext(options: {engine?: EngineDefinition; signal?: AbortSignal; dryRun?: boolean; resultsDir?: string} = {}): RunContext {
  const config = MlpsConfigSchema.parse({resultsDir: options.resultsDir ?? join(tempDir(), 'results'), organization: 'acme', systemName: 'sut'})
  const findings: Finding[] = []
  const startedAt = new Date().toISOString()
  return {
    runId: 'test-run', benchmark: 'demo', benchmarkFolder: 'demo', command: 'run', model: 'm', modelPath: ['m'], commandFolder: 'run',
    division: 'closed', config, resolvedConfig: {config, sources: new Map()}, engine: options.engine, engineOptions: {},
    dryRun: options.dryRun ?? false, signal: options.signal ?? new AbortController().signal,
    log: {info() {}, warn() {}, debug() {}}, progress: createProgress({mode: 'none'}),
    hosts: [{name: 'localhost'}], options: {}, parameters: {userOverrides: {}, toolInjected: {}},
    findings, addFinding: finding => { findings.push(finding) },
    record: {
      schemaVersion: RUN_RECORD_SCHEMA_VERSION, runId: 'test-run', mlps: {version: '0.0.0', plugins: {}}, benchmark: 'demo', command: 'run',
      model: 'm', division: 'closed', engine: options.engine ? {name: options.engine.name, closedEligible: options.engine.closedEligible} : undefined,
      status: 'PLANNED', invocation: {argv: ['mlps'], cwd: '/', hostname: 'h'}, commands: [], hosts: [{name: 'localhost'}],
      parameters: {effective: {}, userOverrides: {}, toolInjected: {}}, timings: {startedAt, phases: {}},
      metrics: {}, findings: [], category: 'UNVERIFIED', artifacts: [], extra: {},
    },
    state: new Map(),
  }
}

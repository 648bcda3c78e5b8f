import type {DlioRunOptions, DlioWorkload} from '@mlps/run-options'
import type {HostSlot, RunContext} from '../../src/unstable.js'
import {MlpsConfigSchema} from '../../src/config/schema.js'
import {join} from 'node:path'
import {testContext} from '../helpers/run-context.js'
import {tempDir} from '../helpers/cli.js'
import {dlioEngine} from '../../plugins/engine-dlio/src/dlio-engine.js'

export interface DlioContextInput {
  benchmark: 'training' | 'checkpointing'
  command: string
  model: string
  workloadName: string
  workload: DlioWorkload
  baseWorkload: DlioWorkload
  userOverrides?: Record<string, unknown>
  toolInjected?: Record<string, unknown>
  numProcesses: number
  hosts?: HostSlot[]
  engines?: Record<string, unknown>
  launcher?: Record<string, unknown>
  /** the site config's objectStorage section */
  objectStorage?: Record<string, unknown>
  resultsDir?: string
  options?: Record<string, unknown>
  signal?: AbortSignal
}

/** A RunContext as the training and checkpointing commands build it for engine dlio. */
export function dlioContext(input: DlioContextInput): RunContext<DlioRunOptions> {
  const base = testContext({engine: dlioEngine, signal: input.signal})
  const config = MlpsConfigSchema.parse({
    resultsDir: input.resultsDir ?? join(tempDir('mlps-dlio-'), 'results'), organization: 'acme', systemName: 'sut',
    launcher: {type: 'openmpi', ...input.launcher}, engines: {dlio: input.engines ?? {}},
    ...(input.objectStorage ? {objectStorage: input.objectStorage} : {}),
  })
  const hosts = input.hosts ?? [{name: 'localhost'}]
  return {
    ...base,
    benchmark: input.benchmark, benchmarkFolder: input.benchmark, command: input.command, model: input.model, modelPath: [input.model],
    // as the commands set it: checkpoint runs sit straight under the model (rules.md §2.1)
    commandFolder: input.benchmark === 'checkpointing' ? undefined : input.command,
    config, resolvedConfig: {config, sources: new Map()},
    engineOptions: dlioEngine.optionsSchema!.parse(input.engines ?? {}) as Record<string, unknown>,
    hosts, numProcesses: input.numProcesses,
    // as the commands hand them over: the workload travels in the run options
    options: {workload: input.workload, baseWorkload: input.baseWorkload, workloadName: input.workloadName, ...input.options},
    parameters: {userOverrides: input.userOverrides ?? {}, toolInjected: input.toolInjected ?? {}},
    record: {...base.record, benchmark: input.benchmark, command: input.command, model: input.model, hosts},
  }
}

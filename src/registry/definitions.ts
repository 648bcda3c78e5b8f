import type {z} from 'zod'
import type {Lifecycle} from '../lifecycle/lifecycle.js'
import type {RunContext} from '../lifecycle/run-context.js'
import type {ExecutedCommand, RunRecord} from '../results/run-record.js'
import type {Finding} from '../verify/finding.js'

export type MetricValue = string | number | boolean | null | Array<number | null>

export interface BenchmarkDefinition {
  /** the name commands and configs use: training, checkpointing, kvcache, vectordb */
  name: string
  description: string
  /** the folder the rules give it in the results tree: training, checkpointing, kv_cache, vector_database */
  resultsFolder: string
  /** validates `benchmarks.<name>` in the site config */
  optionsSchema?: z.ZodType
}

/** What an engine would do, printed by --dry-run without running anything. */
export interface EnginePlan {
  engine: string
  summary: string
  launcher?: string
  argv?: string[]
  env?: Record<string, string>
  details?: Record<string, unknown>
}

export interface EngineResult {
  status: 'COMPLETED' | 'FAILED' | 'INTERRUPTED'
  reason?: string
  metrics?: Record<string, MetricValue>
  /** files the engine wrote, relative to the leaf */
  artifacts?: string[]
  commands?: ExecutedCommand[]
  version?: string
  extra?: Record<string, unknown>
}

export interface EngineDefinition {
  name: string
  description: string
  /** benchmark name → the commands of it this engine runs */
  supports: Record<string, readonly string[]>
  /** false for emulations: their results can never be CLOSED */
  closedEligible: boolean
  /** validates `engines.<name>` in the site config */
  optionsSchema?: z.ZodType
  /** add Findings to ctx for anything missing (binary, module, permission); runs in preValidate */
  preflight?(ctx: RunContext): Promise<void>
  plan(ctx: RunContext): Promise<EnginePlan>
  execute(ctx: RunContext): Promise<EngineResult>
}

export interface HostSnapshotRequest {
  hosts: Array<{name: string; slots?: number}>
  signal?: AbortSignal
  options: Record<string, unknown>
}

export interface CollectorDefinition {
  name: string
  description: string
  optionsSchema?: z.ZodType
  snapshot(request: HostSnapshotRequest): Promise<Array<Record<string, unknown>>>
}

export interface RulesEdition {
  /** e.g. "3.0", "3.0-corrected", "1.0" */
  name: string
  description: string
  verifyRun(record: RunRecord, leaf: string): Promise<Finding[]>
}

/** What a plugin's `mlps:register` hook returns. */
export interface PluginContribution {
  apiVersion: 1
  benchmarks?: BenchmarkDefinition[]
  engines?: EngineDefinition[]
  collectors?: CollectorDefinition[]
  rulesEditions?: RulesEdition[]
  /** tap lifecycle hooks; called once, after every plugin's contributions are registered */
  apply?(lifecycle: Lifecycle): void
}

/** Identity function that gives a plugin's contribution its type. */
export function definePlugin(contribution: PluginContribution): PluginContribution {
  return contribution
}

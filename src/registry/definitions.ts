import type {z} from 'zod'
import type {ClusterSnapshot, HostFacts} from '../cluster/host-facts.js'
import type {PreflightCheck} from '../doctor/check.js'
import type {TimeSeries} from '../cluster/time-series.js'
import type {MlpsConfig} from '../config/schema.js'
import type {Lifecycle} from '../lifecycle/lifecycle.js'
import type {RunRecord} from '../results/run-record.js'
import type {Finding, Severity} from '../verify/finding.js'
import type {LoadedRun, RunGroup} from '../verify/loaded-run.js'
import type {AnyRule} from '../verify/rule.js'
import type {BenchmarkResults} from './benchmark-results.js'
import type {ReadinessNeed} from '../status/readiness-need.js'

import type {EngineDefinition} from '../lifecycle/run-context.js'
export type {EngineDefinition, EnginePlan, EngineResult} from '../lifecycle/run-context.js'
export type {MetricValue} from '../results/metric-value.js'

export interface BenchmarkDefinition {
  /** the name commands and configs use */
  name: string
  description: string
  /** where its runs sit in the results tree, how their files are read and how they are reported */
  results: BenchmarkResults
  /** validates `benchmarks.<name>` in the site config */
  optionsSchema?: z.ZodType
  /**
   * The schema of the run options its commands hand to engines (ctx.options).
   * The core parses them with it before preflight; a failure is bad input
   * (exit 2) naming the option and the flag it came from.
   */
  runOptionsSchema?: z.ZodType<Record<string, unknown>>
  /** option path (dotted, without list indices) → the flag that sets it, e.g. {dataFolder: '--data-dir', workload: '--param'} */
  runOptionFlags?: Readonly<Record<string, string>>
  /**
   * run options (dotted paths into ctx.options) that name storage under test, and what each is called in
   * `fs_separation.json`, e.g. {dataFolder: 'data_dir'}: before a run, each must be on another filesystem than the results
   */
  storagePaths?: Readonly<Record<string, string>>
}

export interface HostSnapshotRequest {
  hosts: Array<{name: string; slots?: number}>
  signal?: AbortSignal
  /** the resolved site config: `ssh`, `launcher` and the rest, as the collector needs them */
  config: MlpsConfig
  /** shared-filesystem probe: each host reads this file, and the snapshot says which hosts saw `token` in it */
  probe?: {path: string; token: string}
  /** collector-specific options, validated by the collector's optionsSchema */
  options?: Record<string, unknown>
}

export interface SamplerRequest extends HostSnapshotRequest {
  intervalSeconds: number
}

/** A running time-series sampler: one long-lived session (SSH channel, MPI job, timer) per host until stopped. */
export interface HostSampler {
  stop(): Promise<TimeSeries>
}

/**
 * A cluster facts collector (local, ssh, mpi, ...). A host that cannot be
 * reached goes into `missing` with its reason; it never hides the others.
 */
export interface CollectorDefinition {
  name: string
  description: string
  optionsSchema?: z.ZodType
  snapshot(request: HostSnapshotRequest): Promise<ClusterSnapshot>
  /** start sampling the hosts' counters every intervalSeconds (first sample at once) */
  startSampler?(request: SamplerRequest): Promise<HostSampler>
}

export interface RulesEdition {
  /** e.g. "3.0", "3.0-corrected", "1.0" */
  name: string
  description: string
  /** the edition's rules; the core evaluates them on a single run (after a benchmark) and on whole trees (`mlps verify`) */
  rules?: readonly AnyRule[]
  /** the benchmark folders whose runs it judges; by default those its rules are written for */
  covers?: readonly string[]
  /** rule id → severity where this edition differs from the rule's default */
  severities?: Readonly<Record<string, Severity>>
  /** defaults for the readings a user may choose (`mlps verify --option key=value` overrides them) */
  options?: Readonly<Record<string, unknown>>
  /** the readings `--option key=value` may set and the values each takes; an unknown key or a refused value is bad input */
  optionsSchema?: z.ZodObject
  /** the runs of a group whose metrics count (e.g. without the warm-up); all of them when absent */
  countedRuns?(group: RunGroup): LoadedRun[]
  /** how `mlps status` words what its rules' findings say is still missing */
  readiness?: readonly ReadinessNeed[]
  /** extra checks on a single run record, for editions without `rules` */
  verifyRun?(record: RunRecord, leaf: string): Promise<Finding[]>
  /** the edition's system description (`<division>/<org>/systems/<system>.yaml`): generated on a system's first run, compared on later ones */
  systemDescription?: SystemDescriptionFormat
}

/** Where a system description sits and what it describes. */
export interface SystemDescriptionTarget {
  /** the file, absolute */
  file: string
  systemName: string
  organization: string
  division: 'closed' | 'open'
}

/**
 * How an edition writes and compares its system description. The core writes
 * the document once (it never overwrites a file) and reads it back as YAML.
 */
export interface SystemDescriptionFormat {
  /** the description of these client hosts; what no tool can know is an explicit placeholder the edition's rules name */
  generate(clients: readonly HostFacts[], target: SystemDescriptionTarget): Record<string, unknown>
  /** how the measured client hosts differ from the description on disk (a client added, memory changed), as findings */
  drift(description: unknown, clients: readonly HostFacts[], target: SystemDescriptionTarget): Finding[]
}

/** Rules a plugin adds to an edition another plugin ships (a vendor's own checks on top of 3.0). */
export interface RulesExtension {
  /** the edition's name, e.g. "3.0" */
  edition: string
  rules: readonly AnyRule[]
}

/** What a plugin's `mlps:register` hook returns. */
export interface PluginContribution {
  apiVersion: 1
  benchmarks?: BenchmarkDefinition[]
  engines?: EngineDefinition[]
  collectors?: CollectorDefinition[]
  rulesEditions?: RulesEdition[]
  /** rules evaluated with an edition whenever it is, beside its own */
  rulesExtensions?: RulesExtension[]
  /**
   * every check before a run (binaries, modules, versions, the run's own inputs), seen alike by the run,
   * `mlps doctor`, `mlps lockfile` and `preflight.skip`; the only way a plugin checks anything before a run
   */
  checks?: PreflightCheck[]
  /** tap lifecycle hooks; called once, after every plugin's contributions are registered */
  apply?(lifecycle: Lifecycle): void
}

/** Identity function that gives a plugin's contribution its type. */
export function definePlugin(contribution: PluginContribution): PluginContribution {
  return contribution
}

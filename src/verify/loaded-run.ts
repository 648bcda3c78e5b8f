import type {MetricValue} from '../results/metric-value.js'
import type {RunRecord, RunStatus} from '../results/run-record.js'
import type {Finding} from './finding.js'
import type {Division, PathContext} from './path-context.js'

/**
 * Which layout a run folder was found in: `mlps` (a `metadata.json` run
 * record), `v3` (the reference tool's `<type>_<ts>_metadata.json`), or
 * `engine` (only the engine's own files, as in the v1.0 round).
 */
export type RunLayout = 'mlps' | 'v3' | 'engine'

export type {Division} from './path-context.js'

/**
 * One summary file of a run, as its benchmark's reader parsed it (multi-host
 * v1.0 runs keep one summary per host folder). The reader's format
 * names the shape of `summary`; the format's owner offers typed accessors.
 */
export interface RunSummary {
  /** relative to the tree root */
  file: string
  /** the reader's format name */
  format: string
  summary: unknown
}

/**
 * One invocation (a run leaf) as the rules see it, whatever layout it came
 * from. Facts that could not be found are undefined; rules that need them
 * say "not evaluable". What its path says (PathContext) is completed from its files.
 */
export interface LoadedRun extends PathContext {
  /** the run folder relative to the tree root ('.' when the root is the run folder) */
  path: string
  absolutePath: string
  layout: RunLayout
  startedAt?: Date
  endedAt?: Date
  /** mlps records carry a status; other layouts are COMPLETED when they hold a summary */
  status?: RunStatus
  engine?: {name: string; closedEligible: boolean}
  /** simulated accelerators / MPI ranks */
  numProcesses?: number
  numHosts?: number
  hosts?: string[]
  /** summed over the hosts (per-slot figures are only meaningful summed; rules.md §4 item 19) */
  hostMemoryBytes?: number
  /** the effective workload parameters, nested as in the workload YAML */
  parameters: Record<string, unknown>
  /** dotted keys the user set */
  userOverrides: Record<string, unknown>
  /** dotted keys the tool set on the user's behalf */
  toolInjected: Record<string, unknown>
  /** the summaries its benchmark's reader found */
  summaries: RunSummary[]
  /** the run's metrics: the record's, completed by what its benchmark's reader took from the summaries */
  metrics: Record<string, MetricValue>
  record?: RunRecord
  /** the reference tool's metadata, as written */
  metadata?: Record<string, unknown>
  /** small JSON side files a rule reads, by name (`fs_separation.json`, and those a benchmark's reader keeps) */
  documents: Record<string, unknown>
  /** every file under the run folder, relative to the run folder */
  files: string[]
  /** where facts came from, relative to the tree root, for evidence */
  sources: {record?: string; metadata?: string; summary?: string; config?: string; overrides?: string}
  /** files that could not be read or parsed */
  problems: Finding[]
}

/** Which workload a group is: what its results rows and verdicts are keyed by. */
export interface GroupIdentity {
  /** the folder holding the run folders (or their command folders), relative to the tree root */
  path: string
  division?: Division
  organization?: string
  system?: string
  benchmark?: string
  model?: string
  accelerator?: string
}

/** Runs that belong together: the run folders under one workload folder. */
export interface RunGroup extends GroupIdentity {
  /** `run` invocations, oldest first */
  runs: LoadedRun[]
  datasize: LoadedRun[]
  datagen: LoadedRun[]
  /** a v1.0 `mlperf_storage_report.json` found beside the runs */
  officialReport?: {file: string; data: unknown}
}

/** An installed benchmark, by the results folder its runs sit in. */
export interface InstalledBenchmark {
  name: string
  /** the plugin that contributed it */
  plugin: string
  /** the installed engines whose results of it can be CLOSED */
  officialEngines?: readonly string[]
}

/** A system description file under `<division>/<org>/systems/`. */
export interface SystemDescription {
  path: string
  name: string
  division?: Division
  organization?: string
  format: 'json' | 'yaml' | 'pdf' | 'md' | 'other'
  data?: unknown
}

export interface LoadedTree {
  /** absolute */
  root: string
  runs: LoadedRun[]
  groups: RunGroup[]
  systems: SystemDescription[]
  /** junk files and unreadable inputs, reported rather than parsed */
  problems: Finding[]
  /**
   * Every folder and file under the root, relative to it, for the rules on
   * the tree's own structure (rules.md §2.1). Hidden entries and junk files
   * are left out; skipped folders (`code/`) are listed but not descended.
   */
  listing: {folders: string[]; files: string[]}
  /** the installed benchmarks the tree was read with: which results folder is whose */
  benchmarks: Readonly<Record<string, InstalledBenchmark>>
}

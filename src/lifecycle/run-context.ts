import type {ResolvedConfig} from '../config/load-config.js'
import type {MlpsConfig} from '../config/schema.js'
import type {z} from 'zod'
import type {MetricValue} from '../results/metric-value.js'
import type {ExecutedCommand, RunRecord} from '../results/run-record.js'
import type {Logger} from '../ux/logger.js'
import type {Progress} from '../ux/progress.js'
import type {Finding} from '../verify/finding.js'

/** Data a run will write, so free space can be checked before it starts. */
export interface PlannedWrite {
  path: string
  bytes: number
  /** what it is, as a person would say it: "the dataset (28000 files)", "10 files of 16 GiB" */
  what: string
  /** how to make room, when the usual advice (free space, another --data-dir, fewer files) does not fit */
  fix?: string
}

/** The work of the `run` phase: the engine's execute, or a command's own (datasize runs no engine). */
export type Executor = (ctx: RunContext) => Promise<EngineResult>

export interface HostSlot {
  name: string
  slots?: number
}

/** Where a run's hosts (and their slots) came from, as a finding names it. */
export interface HostsOrigin {
  /** `allocation`: the Slurm allocation's nodes and tasks, no hosts given; `given`: --hosts, --hostfile, MLPS_HOSTS or the config file */
  kind: 'allocation' | 'given' | 'default'
  /** the flag, variable or key, as an error's `where` */
  where: string
  /** as a person would say it: "--hosts", "the Slurm allocation (SLURM_JOB_NODELIST=n1, SLURM_TASKS_PER_NODE=2)" */
  described: string
}

/**
 * Everything a lifecycle tap may read or add to. One context per benchmark
 * invocation; it flows through preValidate → setup → run → collect → verify.
 * `Options` is the type of the benchmark's run options: to the core they are
 * an object of unknown values, checked against the schema the benchmark
 * declares; an engine or tap narrows the context to the schema it knows.
 */
export interface RunContext<Options = Record<string, unknown>> {
  readonly runId: string
  readonly benchmark: string
  /** the benchmark's results folder, as it declares it */
  readonly benchmarkFolder: string
  readonly command: string
  readonly model?: string
  /** path under the benchmark folder: [model] usually, deeper where the benchmark nests its workloads */
  readonly modelPath: string[]
  /** the results-tree folder of the command (run, datagen, ...), undefined where the rules give none */
  readonly commandFolder?: string
  readonly accelerator?: string
  readonly division: 'closed' | 'open'
  readonly config: MlpsConfig
  readonly resolvedConfig: ResolvedConfig
  readonly engine?: EngineDefinition
  /** the site config's `engines.<name>` section, validated by the engine's schema */
  readonly engineOptions: Record<string, unknown>
  readonly dryRun: boolean
  /** aborted on SIGINT/SIGTERM; every tap and engine must stop promptly when it fires */
  readonly signal: AbortSignal
  readonly log: Logger
  readonly progress: Progress
  readonly hosts: HostSlot[]
  /** where `hosts` came from; absent where the caller built the hosts itself */
  readonly hostsOrigin?: HostsOrigin
  numProcesses?: number
  /** what the run will write (a dataset, the files it writes), for the free-space check */
  readonly plannedWrites?: PlannedWrite[]
  /** what the benchmark hands its engine, as its `runOptionsSchema` parsed it */
  options: Options
  readonly parameters: {userOverrides: Record<string, unknown>; toolInjected: Record<string, unknown>}
  /** the run leaf; set at the start of setup, undefined in preValidate and dry runs */
  leaf?: string
  readonly findings: Finding[]
  addFinding(finding: Finding): void
  /** the record written to metadata.json; taps may add metrics, artifacts and extra facts */
  readonly record: RunRecord
  /** what the core's engine tap runs inside `run`; runLifecycle sets it */
  execute?: Executor
  engineResult?: EngineResult
  /** scratch space for taps, keyed by plugin name */
  readonly state: Map<string, unknown>
}

/** What an engine would do, printed by --dry-run without running anything. */
export interface EnginePlan {
  engine: string
  summary: string
  launcher?: string
  argv?: string[]
  env?: Record<string, string>
  /** the run leaf the engine would write into (a dry run creates none, so this is where it would go) */
  leaf?: string
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
  plan(ctx: RunContext): Promise<EnginePlan>
  execute(ctx: RunContext): Promise<EngineResult>
}

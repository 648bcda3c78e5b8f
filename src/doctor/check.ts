import type {ClusterSnapshot} from '../cluster/host-facts.js'
import type {MlpsConfig} from '../config/schema.js'
import type {HostSlot, RunContext} from '../lifecycle/run-context.js'
import type {HostShell} from './host-shell.js'
import type {OsInfo} from './os-detect.js'

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip'

/** What one check found on one host. `skip` means "not evaluable here": it never stands for a pass. */
export interface CheckResult {
  status: CheckStatus
  detail: string
  /** the exact command or setting that fixes it, for this host's OS */
  fix?: string
  /** versions that shape results (name → version), recorded by `mlps lockfile` and compared across hosts */
  versions?: Record<string, string>
  /** what a failure blocks on: the environment (exit 3, the default), the invocation's input (exit 2), or the rules */
  kind?: 'environment' | 'input' | 'rule'
  /** a warning that keeps the run out of CLOSED without making it INVALID */
  openOnly?: boolean
}

/** One row of a doctor report: a check's result on one host. */
export interface CheckRow extends CheckResult {
  check: string
  title: string
  host: string
  engine?: string
  /** about the invocation itself, not about `host`: its finding names no host */
  invocation?: true
  /** not run: what the check reads exists only in a run (listed by `mlps doctor`, status skip) */
  needsRun?: true
}

/** Why the checks run: `mlps doctor`, a benchmark's preflight, or `mlps lockfile`. */
export type CheckMode = 'doctor' | 'run' | 'lockfile'

/**
 * What a check may read. Facts shared by many checks (a host's OS, the
 * cluster snapshot) are gathered once and shared.
 */
export interface CheckContext {
  readonly mode: CheckMode
  readonly benchmark?: string
  readonly command?: string
  readonly model?: string
  /** the engines the run may use: the chosen one, or every engine that serves the benchmark */
  readonly engines: readonly string[]
  readonly hosts: readonly HostSlot[]
  readonly config: MlpsConfig
  /** the benchmark's context when the checks run in its preflight (workload, options, engine options) */
  readonly run?: RunContext
  /** this mlps: version, plugin versions, the node binary and the CLI entry point, so other hosts can be held to the same */
  readonly mlps: MlpsIdentity
  readonly signal: AbortSignal
  /** whether `host` is this machine (checked in-process) */
  isLocal(host: string): boolean
  /** run argv on a host: in-process here, over the OpenSSH client elsewhere */
  shell(host: string): HostShell
  os(host: string): Promise<OsInfo>
  /** the collector's snapshot of the hosts, with the shared-filesystem probe of the results dir; undefined when every host is this one */
  cluster(): Promise<ClusterSnapshot | undefined>
  /** a fact several checks read (a dataset's file count, one REST exchange), gathered once per key for this invocation */
  shared<T>(key: string, gather: () => Promise<T>): Promise<T>
}

export interface MlpsIdentity {
  version: string
  plugins: Record<string, string>
  /** process.execPath */
  node: string
  /** the CLI entry point (bin/run.js) */
  bin: string
}

/**
 * A preflight check, contributed by the core or by the plugin that owns the
 * facts (an engine checks its binary and modules). It runs before a benchmark
 * starts (as Findings), on demand (`mlps doctor`) and for the lockfile.
 */
export interface PreflightCheck {
  /** dotted id, shown in the report and used as the Finding's ruleId, e.g. <engine>.installed */
  id: string
  title: string
  /**
   * `controller`: once, on the machine running mlps; `hosts`: on every host, in parallel;
   * `invocation`: once, on the controller, about the invocation's own inputs (flags, options, files it reads)
   */
  runsOn: 'controller' | 'hosts' | 'invocation'
  /** the engine this check is about: it runs only when that engine may run */
  engine?: string
  /** the benchmark it is about: it runs only for that benchmark (and in a doctor not narrowed to another) */
  benchmark?: string
  /** with `benchmark`: the commands of it this check is about */
  commands?: readonly string[]
  /**
   * the modes that have what it reads; every mode when absent. A check that reads the run (its
   * options, workload, plan) says ['run']: `mlps doctor` then lists it as "needs a run"
   */
  modes?: readonly CheckMode[]
  /** whether it concerns this invocation beyond the filters above (hosts, options); always when absent */
  appliesTo?(ctx: CheckContext): boolean
  /**
   * hold every host to the same `versions`: hosts that differ from the reference host
   * (this one when it is among the hosts, else the first) get this status
   */
  sameOnEveryHost?: 'warn' | 'fail'
  run(ctx: CheckContext, host: string): Promise<CheckResult>
}

/** The run a check with `modes: ['run']` reads; such a check never runs without one. */
export function runOf(ctx: CheckContext): RunContext {
  if (!ctx.run) throw new Error('this check reads the run and was called without one (declare modes: [\'run\'])')
  return ctx.run
}

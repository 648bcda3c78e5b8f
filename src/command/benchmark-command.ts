import {randomUUID} from 'node:crypto'
import {hostname, userInfo} from 'node:os'
import {resolve} from 'node:path'
import {type Command, Flags, type Interfaces} from '@oclif/core'
import {loadConfig, type ResolvedConfig} from '../config/load-config.js'
import {checkConfigAgainstRegistry} from '../config/registry-check.js'
import {VERIFY_LOCKFILE_STATE} from '../lockfile/verify-lock.js'
import type {CampaignStepHookup} from '../campaign/campaign-place.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {redactArgv} from '../history/redact.js'
import {resolveHostsWithOrigin} from '../hosts/resolve-hosts.js'
import {slurmAllocationFinding} from '../hosts/slurm-allocation.js'
import {currentProcess} from '../launch/process-identity.js'
import {forceStopLaunches} from '../launch/run-launch.js'
import type {HostsOrigin, HostSlot, PlannedWrite, RunContext} from '../lifecycle/run-context.js'
import {type Executor, type LifecycleOutcome, runLifecycle} from '../lifecycle/run-lifecycle.js'
import type {EngineDefinition} from '../registry/definitions.js'
import {getRegistry} from '../registry/load-registry.js'
import type {Registry} from '../registry/registry.js'
import {RUN_RECORD_SCHEMA_VERSION, type RunRecord} from '../results/run-record.js'
import {resolveTreeIdentity, type TreeIdentity} from '../results/tree-identity.js'
import {createLogger} from '../ux/logger.js'
import {createProgress, type Progress, resolveProgressMode} from '../ux/progress.js'
import type {Finding} from '../verify/finding.js'
import {MlpsCommand} from './mlps-command.js'
import {checkRunOptions} from './run-options-check.js'
import {exitCodeOf} from './stop-signals.js'
import {renderHeadlineOutput, type HeadlineOutput, headlineOutput} from './headline-output.js'

/** What a benchmark command tells the core about the run it wants. */
export interface RunDescription {
  model?: string
  accelerator?: string
  /** folders under the benchmark folder; defaults to [model] */
  modelPath?: string[]
  /** the command's folder under modelPath; defaults to the command name; false where the rules give none */
  commandFolder?: string | false
  /** the engine to run; omit when `execute` does the work itself */
  engine?: string
  /** what the engine is handed as ctx.options; parsed with the benchmark's runOptionsSchema before preflight */
  options?: Record<string, unknown>
  /** the run's parameters as the record lists them (e.g. the workload); defaults to `options` */
  parameters?: object
  /** data the run will write beyond a generated dataset, for the free-space check */
  plannedWrites?: PlannedWrite[]
  userOverrides?: Record<string, unknown>
  toolInjected?: Record<string, unknown>
  numProcesses?: number
  /** replaces the engine as the work of the `run` phase (e.g. datasize, which runs no engine) */
  execute?: Executor
}

/**
 * The config a benchmark command runs with: the site config under its flags,
 * with the tree's organization and system name settled (shared with the
 * campaign command that runs it step by step).
 */
export async function loadBenchmarkConfig(common: BenchmarkFlags): Promise<{resolved: ResolvedConfig; identity: TreeIdentity}> {
  const resolved = await loadConfig({
    configFile: common.config,
    flags: [
      {path: 'resultsDir', value: common['results-dir'], flag: '--results-dir'},
      {path: 'systemName', value: common['system-name'], flag: '--system-name'},
      {path: 'hosts', value: common.hosts, flag: '--hosts'},
      {path: 'division', value: common.closed ? 'closed' : common.open ? 'open' : undefined, flag: common.closed ? '--closed' : '--open'},
      {path: 'collector', value: common.collector, flag: '--collector'},
    ],
  })
  resolved.config.resultsDir = resolve(resolved.config.resultsDir)
  const identity = await resolveTreeIdentity(resolved)
  resolved.config.organization = identity.organization
  resolved.config.systemName = identity.systemName
  return {resolved, identity}
}

/** The flags of a benchmark command `T` as oclif parses them: its own and the ones every benchmark command has. */
export type BenchmarkCommandFlags<T extends typeof Command> = Interfaces.InferredFlags<typeof BenchmarkCommand.baseFlags & T['flags']>

/** The flags every benchmark command has. */
export type BenchmarkFlags = Interfaces.InferredFlags<typeof BenchmarkCommand.baseFlags>

/** The JSON a benchmark command prints with --json. */
export interface BenchmarkCommandResult {
  status: RunRecord['status']
  category: RunRecord['category']
  exitCode: number
  leaf?: string
  /** true when the run was refused before its work started: `leaf` is then its record's folder under `.mlps/refused/` */
  refused?: boolean
  plan?: unknown
  record: RunRecord
  /** the figures the run measured and the rules that decided its category (absent for a plan) */
  headline?: HeadlineOutput
}

/**
 * The base of every benchmark command (`mlps <benchmark> run`, ...): resolves
 * config, registry and engine, builds the RunContext and drives the
 * lifecycle. Subclasses say what to run in `describeRun`, with their flags
 * typed: `class TrainingRun extends BenchmarkCommand<typeof TrainingRun>`.
 */
export abstract class BenchmarkCommand<T extends typeof Command = typeof Command> extends MlpsCommand {
  static baseFlags = {
    ...MlpsCommand.baseFlags,
    'results-dir': Flags.string({description: 'root of the results tree [config: resultsDir]', helpGroup: 'RUN'}),
    'system-name': Flags.string({description: 'the system under test: the results/<system> folder and systems/<system>.yaml; required in CLOSED [config: systemName]', helpGroup: 'RUN'}),
    hosts: Flags.string({description: 'client hosts, e.g. node[01-04]:8 (comma or space separated) [config: hosts]', multiple: true, helpGroup: 'RUN'}),
    hostfile: Flags.string({description: 'client hosts from a file: OpenMPI lines (node01 slots=8) or MPICH lines (node01:8)', exclusive: ['hosts'], helpGroup: 'RUN'}),
    closed: Flags.boolean({description: 'run for the CLOSED division [config: division]', exclusive: ['open'], helpGroup: 'RUN'}),
    open: Flags.boolean({description: 'run for the OPEN division [config: division]', exclusive: ['closed'], helpGroup: 'RUN'}),
    'dry-run': Flags.boolean({description: 'print the plan (and the exact argv) without running anything', helpGroup: 'RUN'}),
    collector: Flags.string({description: 'how cluster facts, start/end snapshots and the time series are collected [config: collector]', options: ['local', 'mpi', 'ssh', 'none'], helpGroup: 'RUN'}),
    'verify-lockfile': Flags.string({description: 'before starting, compare every host with this mlps-lock.json (mlps lockfile generate) and stop on any difference', helpGroup: 'RUN'}),
  }

  /** the benchmark this command belongs to, by its registered name */
  protected abstract readonly benchmark: string
  /** the results-tree command folder (run, datagen, datasize, ...) */
  protected abstract readonly commandName: string

  /** set when a campaign runs this command as one of its steps: its place goes into the run record and the progress view */
  private campaignStep?: CampaignStepHookup

  /** Run as one step of a campaign, in the campaign's process (the command was constructed with the step's argv). */
  async runAsCampaignStep(hookup: CampaignStepHookup): Promise<BenchmarkCommandResult> {
    this.campaignStep = hookup
    let exitCode: number = ExitCode.RunFailed
    try {
      await this.init()
      const result = await this.run()
      exitCode = result.exitCode
      return result
    } catch (error) {
      if (error instanceof MlpsError) exitCode = error.exitCode
      throw error
    } finally {
      await this.endAsStep(exitCode)
    }
  }

  /** the run's live view, kept for what a stopped run measured so far */
  private progress?: Progress

  protected abstract describeRun(flags: BenchmarkCommandFlags<T>, resolved: ResolvedConfig, registry: Registry): Promise<RunDescription>

  async run(): Promise<BenchmarkCommandResult> {
    // from the first moment of the run: a signal while the config loads stops the run before it starts
    const abort = new AbortController()
    let signals = 0
    this.stopHandler = signal => {
      signals++
      // a third signal gives up on the record (writes in flight leave no temp file behind: atomic-write.ts)
      if (signals > 2) process.exit(exitCodeOf(signal))
      const message = signals === 1
        ? `${signal} received: stopping the run (again to kill its processes at once)`
        : `${signal} received again: killing the run's processes now; the record is still written (a third time to exit without it)`
      // through the live view: under --json stderr carries only NDJSON events
      if (this.progress) this.progress.log(message)
      else process.stderr.write(`\n${message}\n`)
      if (signals === 1) abort.abort(signal)
      else forceStopLaunches()
    }
    try {
      return await this.runBenchmark(abort)
    } finally {
      this.stopHandler = undefined
    }
  }

  private async runBenchmark(abort: AbortController): Promise<BenchmarkCommandResult> {
    // oclif types what parse returns by its argument; the base class cannot name its subclass's flags, so it says them once here
    const flags = (await this.parse(this.ctor)).flags as BenchmarkCommandFlags<T>
    const common: BenchmarkFlags = flags
    const {resolved, identity} = await loadBenchmarkConfig(common)
    const registry = await getRegistry(this.config)
    checkConfigAgainstRegistry(resolved, registry)
    const contributed = registry.benchmarks.get(this.benchmark)
    const benchmark = contributed?.definition
    if (!contributed || !benchmark) {
      throw new MlpsError(`the ${this.benchmark} benchmark is not registered`, {exitCode: ExitCode.EnvironmentNotReady, fix: `reinstall its plugin (mlps plugins)`})
    }
    validateSection(benchmark.optionsSchema, resolved, `benchmarks.${benchmark.name}`)
    const description = await this.describeRun(flags, resolved, registry)
    const options = description.options === undefined ? {} : checkRunOptions(benchmark, contributed.plugin, this.commandName, description.options)
    const engine = description.engine ? registry.engine(description.engine, this.benchmark, this.commandName) : undefined
    const engineOptions = engine ? validateSection(engine.optionsSchema, resolved, `engines.${engine.name}`) : {}
    const {hosts, slurm, origin: hostsOrigin} = await resolveHostsWithOrigin(resolved, common.hostfile)

    let outcome: LifecycleOutcome
    try {
      const ctx = this.createContext({resolved, description, options, engine, engineOptions, hosts, hostsOrigin, signal: abort.signal, dryRun: common['dry-run'], benchmarkFolder: benchmark.results.folder, verbose: common.verbose})
      for (const finding of identity.findings) ctx.addFinding(finding)
      if (slurm) {
        const finding = slurmAllocationFinding(slurm)
        ctx.addFinding(finding)
        if (!this.jsonEnabled()) process.stderr.write(`${finding.message}\n`)
      }
      if (common['verify-lockfile']) ctx.state.set(VERIFY_LOCKFILE_STATE, resolve(common['verify-lockfile']))
      const execute: Executor = description.execute ?? (async context => {
        if (!engine) throw new MlpsError(`${this.benchmark} ${this.commandName} has no engine to run`)
        return engine.execute(context)
      })
      outcome = await runLifecycle(registry, ctx, execute)
    } finally {
      // a stopped engine leaves its status line drawn; the summary starts on a clean line
      if (this.progress?.mode === 'tty') this.progress.done()
    }
    this.producedLeaf = outcome.leaf
    process.exitCode = outcome.exitCode
    const headline = outcome.plan ? undefined : this.summarize(outcome, registry)
    if (!this.jsonEnabled()) this.report(outcome, headline)
    return {status: outcome.record.status, category: outcome.record.category, exitCode: outcome.exitCode, leaf: outcome.leaf, ...outcome.refused ? {refused: true} : {}, plan: outcome.plan, record: outcome.record, headline}
  }

  /** The run's headline as its benchmark reads it from the record, with the deciding rules. */
  private summarize(outcome: LifecycleOutcome, registry: Registry): HeadlineOutput {
    return headlineOutput(outcome.record, registry.benchmarks.get(this.benchmark)?.definition?.results.runHeadline, this.progress?.snapshot?.())
  }

  /** The human summary: status, headline figures, the category and the rules that decided it; subclasses may add to it. */
  protected report(outcome: LifecycleOutcome, headline?: HeadlineOutput): void {
    if (outcome.plan) {
      this.say(`Plan (${outcome.plan.engine}): ${outcome.plan.summary}`)
      if (outcome.plan.argv) this.say(`  argv: ${JSON.stringify(outcome.plan.argv)}`)
      for (const finding of outcome.record.findings.filter(f => f.severity === 'error')) {
        this.say(`  would stop before starting: [${finding.ruleId}] ${finding.message}${finding.fix ? ` (fix: ${finding.fix})` : ''}`)
      }
      return
    }
    const {record} = outcome
    if (record.campaign) this.say(`${record.campaign.label} of campaign ${record.campaign.id}:`)
    this.say(`${record.benchmark} ${record.command}${record.model ? ` ${record.model}` : ''}: ${record.status}${record.statusReason ? ` (${record.statusReason})` : ''}`)
    const summary = headline ?? headlineOutput(record, undefined, undefined)
    for (const line of renderHeadlineOutput(summary)) this.say(line)
    const deciding = new Set(summary.deciding.map(rule => rule.ruleId))
    const others = record.findings.filter(f => f.severity !== 'info' && !deciding.has(f.ruleId))
    if (others.length > 0) {
      this.say(`  ${others.length} more finding${others.length > 1 ? 's' : ''} (${[...new Set(others.map(f => f.ruleId))].join(', ')})${outcome.leaf ? `: mlps verify ${outcome.leaf}` : ''}`)
    }
    if (outcome.leaf) this.say(`  run leaf: ${outcome.leaf}`)
  }

  private stepProgress(progress: Progress): Progress {
    return this.campaignStep ? this.campaignStep.progress(progress) : progress
  }

  private createContext(input: {
    resolved: ResolvedConfig; description: RunDescription; options: Record<string, unknown>; engine?: EngineDefinition; engineOptions: Record<string, unknown>
    hosts: HostSlot[]; hostsOrigin: HostsOrigin; signal: AbortSignal; dryRun: boolean; benchmarkFolder: string; verbose: boolean
  }): RunContext {
    const {resolved, description, engine} = input
    const startedAt = new Date()
    const json = this.jsonEnabled()
    const runId = randomUUID()
    const findings: Finding[] = []
    const record: RunRecord = {
      schemaVersion: RUN_RECORD_SCHEMA_VERSION,
      runId,
      mlps: {version: this.config.version, plugins: Object.fromEntries(this.config.getPluginsList().map(p => [p.name, p.version]))},
      benchmark: this.benchmark,
      command: this.commandName,
      model: description.model,
      accelerator: description.accelerator,
      division: resolved.config.division,
      engine: engine ? {name: engine.name, closedEligible: engine.closedEligible} : undefined,
      status: 'PLANNED',
      ...(this.campaignStep ? {campaign: this.campaignStep.place} : {}),
      invocation: {argv: redactArgv(['mlps', ...(this.id ?? '').split(':'), ...this.argv]), cwd: process.cwd(), hostname: hostname(), user: safeUser(), process: currentProcess()},
      commands: [],
      hosts: input.hosts.map(h => ({...h})),
      numProcesses: description.numProcesses,
      parameters: {
        // a shallow copy keeps the record's sections the run's own objects (datasize fills in the dataset it sized)
        effective: {...description.parameters ?? description.options},
        userOverrides: description.userOverrides ?? {},
        toolInjected: description.toolInjected ?? {},
      },
      timings: {startedAt: startedAt.toISOString(), phases: {}},
      metrics: {},
      findings: [],
      category: 'UNVERIFIED',
      artifacts: [],
      extra: {},
    }
    return {
      runId,
      benchmark: this.benchmark,
      benchmarkFolder: input.benchmarkFolder,
      command: this.commandName,
      model: description.model,
      modelPath: description.modelPath ?? (description.model ? [description.model] : []),
      commandFolder: description.commandFolder === false ? undefined : description.commandFolder ?? this.commandName,
      accelerator: description.accelerator,
      division: resolved.config.division,
      config: resolved.config,
      resolvedConfig: resolved,
      engine,
      engineOptions: input.engineOptions,
      dryRun: input.dryRun,
      signal: input.signal,
      log: createLogger({quiet: json, verbose: input.verbose}),
      progress: this.stepProgress(this.progress = createProgress({mode: resolveProgressMode(resolved.config.progress, json, process.stderr, true)})),
      hosts: input.hosts,
      hostsOrigin: input.hostsOrigin,
      numProcesses: description.numProcesses,
      options: input.options,
      plannedWrites: description.plannedWrites,
      parameters: {userOverrides: record.parameters.userOverrides, toolInjected: record.parameters.toolInjected},
      findings,
      addFinding: finding => { findings.push(finding) },
      record,
      state: new Map(),
    }
  }
}

function safeUser(): string | undefined {
  try {
    return userInfo().username
  } catch {
    return undefined
  }
}

/** Validate a plugin-owned config section with the plugin's schema, naming the key on failure. */
function validateSection(schema: EngineDefinition['optionsSchema'], resolved: ResolvedConfig, path: string): Record<string, unknown> {
  const [group, name] = path.split('.') as ['engines' | 'benchmarks', string]
  const section = resolved.config[group][name] ?? {}
  if (!schema) return section
  const parsed = schema.safeParse(section)
  if (parsed.success) return parsed.data as Record<string, unknown>
  const problems = parsed.error.issues.map(issue => `  ${[path, ...issue.path.map(String)].join('.')}: ${issue.message}`).join('\n')
  throw new MlpsError(`invalid configuration${resolved.file ? ` in ${resolved.file}` : ''}:\n${problems}`, {fix: `correct ${path}; \`mlps config schema\` lists the core keys`})
}

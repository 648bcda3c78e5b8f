import {createHash, randomBytes} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {hostname} from 'node:os'
import {join, relative} from 'node:path'
import {type Command, type Config, Flags, type Interfaces} from '@oclif/core'
import {BenchmarkCommand, type BenchmarkCommandResult, type BenchmarkFlags, loadBenchmarkConfig} from '../command/benchmark-command.js'
import {MlpsCommand} from '../command/mlps-command.js'
import type {ResolvedConfig} from '../config/load-config.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {getRegistry} from '../registry/load-registry.js'
import {timestampName} from '../results/run-leaf.js'
import {RUN_RECORD_FILE, RunRecordSchema} from '../results/run-record.js'
import {campaignProgress} from '../ux/campaign-progress.js'
import {formatDuration} from '../ux/format.js'
import type {Progress} from '../ux/progress.js'
import {remainingSeconds} from './campaign-eta.js'
import type {CampaignPlan, CampaignStep} from './campaign-plan.js'
import {CAMPAIGN_RECORD_SCHEMA_VERSION, type CampaignRecord, campaignFile, readCampaignRecords, writeCampaignRecord} from './campaign-record.js'
import {type CampaignKey, latestCampaign, moveAbandonedLeaves, parameterDifferences, runningElsewhere} from './campaign-resume.js'
import {type DeclaredFlags, stepArgv} from './step-argv.js'

/** The flags of a campaign command `T`: its own and the ones every benchmark command has. */
export type CampaignCommandFlags<T extends typeof Command> = Interfaces.InferredFlags<typeof CampaignCommand.baseFlags & T['flags']>

/** What `<benchmark> campaign --json` prints. */
export interface CampaignResult {
  campaign: CampaignRecord
  /** the campaign's record file */
  file: string
  /** true when this invocation continued an unfinished campaign */
  resumed: boolean
  exitCode: number
  /** a dry run: the steps it would run, with the argv of those that can be known before the earlier ones ran */
  plan?: Array<{index: number; role: string; label: string; command: string; argv?: string[]}>
}

/** flags that steer this invocation rather than say what the runs do: a resume may change them */
const CONTROL_FLAGS = new Set(['json', 'verbose', 'dry-run', 'restart', 'config'])

/**
 * The base of every campaign command (`mlps <benchmark> campaign`): runs the steps its benchmark
 * declares (datagen, a warm-up, the measured runs, ...) back to back in this process, each one
 * the benchmark's single-run command with its leaf and record, and keeps the campaign's own record
 * in `.mlps/campaigns/<id>.json`, written after every step. It stops at the first step that does
 * not complete; invoked again with the same parameters it continues from the first step not done,
 * and refuses other parameters. Ctrl-C stops the running step and the campaign (INTERRUPTED).
 */
export abstract class CampaignCommand<T extends typeof Command = typeof Command> extends MlpsCommand {
  static baseFlags = {
    ...BenchmarkCommand.baseFlags,
    restart: Flags.boolean({description: 'start a new campaign even when this workload has an unfinished or a complete one (whose leaves stay where they are)', helpGroup: 'CAMPAIGN'}),
  }

  /** the benchmark this command belongs to, by its registered name */
  protected abstract readonly benchmark: string

  /** The steps, in order. Called once per invocation, before anything runs. */
  protected abstract plan(flags: CampaignCommandFlags<T>, resolved: ResolvedConfig): Promise<CampaignPlan>

  private readonly stop = new AbortController()
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // a step's own handler stops the running step; this one stops the campaign after it (and a second signal, the process)
    if (this.stop.signal.aborted) process.exit(signal === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted)
    this.stop.abort(signal)
  }

  async run(): Promise<CampaignResult> {
    const flags = (await this.parse(this.ctor)).flags as CampaignCommandFlags<T>
    const common = flags as BenchmarkFlags & {restart: boolean}
    const {resolved, identity} = await loadBenchmarkConfig(common)
    const registry = await getRegistry(this.config)
    const benchmark = registry.benchmarks.get(this.benchmark)?.definition
    if (!benchmark) throw new MlpsError(`the ${this.benchmark} benchmark is not registered`, {exitCode: ExitCode.EnvironmentNotReady, fix: 'reinstall its plugin (mlps plugins)'})
    const plan = await this.plan(flags, resolved)
    const {config} = resolved
    const key: CampaignKey = {
      benchmark: this.benchmark, model: plan.model, accelerator: plan.accelerator,
      division: config.division, organization: identity.organization, systemName: identity.systemName,
    }
    const parameters = campaignParameters(flags, resolved, this.benchmark)
    if (common['dry-run']) return this.dryRun(plan, key, parameters, flags, config.resultsDir)

    const {records, unreadable} = await readCampaignRecords(config.resultsDir)
    for (const bad of unreadable) this.warn(`${bad.file} is not a campaign record (${bad.problem}); left alone`)
    const previous = latestCampaign(records, key)
    const resumable = previous && previous.status !== 'COMPLETE' && !common.restart ? previous : undefined
    if (previous && !common.restart) refuseUnlessResumable(previous, parameters, config.resultsDir)
    const record = resumable ?? newCampaign(key, parameters, plan)
    if (previous && common.restart) {
      this.progressView().log(`--restart: campaign ${previous.id} (${previous.status}) is left as it is; its leaves stay in the group, so keep only one series there (mlps verify names the extra runs)`)
    }
    record.status = 'RUNNING'
    record.process = {pid: process.pid, hostname: hostname()}

    process.on('SIGINT', this.onSignal)
    process.on('SIGTERM', this.onSignal)
    try {
      if (resumable) await this.prepareResume(record, plan, config.resultsDir, join(config.resultsDir, config.division, identity.organization, 'results', identity.systemName, benchmark.results.folder))
      await writeCampaignRecord(config.resultsDir, record)
      await this.runSteps(record, plan, flags, config.resultsDir)
    } finally {
      process.off('SIGINT', this.onSignal)
      process.off('SIGTERM', this.onSignal)
    }
    const exitCode = campaignExitCode(record, this.stop.signal)
    process.exitCode = exitCode
    if (!this.jsonEnabled()) this.report(record, config.resultsDir)
    return {campaign: record, file: campaignFile(config.resultsDir, record.id), resumed: resumable !== undefined, exitCode}
  }

  /** Continue where the campaign stopped: leaves of steps that never finished leave the group; finished steps hand on what they found. */
  private async prepareResume(record: CampaignRecord, plan: CampaignPlan, resultsDir: string, searchRoot: string): Promise<void> {
    const moved = await moveAbandonedLeaves(resultsDir, searchRoot, record)
    record.abandoned.push(...moved)
    const view = this.progressView()
    for (const leaf of moved) view.log(`campaign ${record.id}: ${leaf.leaf} (step ${leaf.index}, ${leaf.status}, never finished) moved out of the results to ${leaf.movedTo}`)
    for (const [index, entry] of record.steps.entries()) {
      if (entry.status === 'COMPLETED' && entry.leaf) {
        plan.steps[index].absorb?.({record: RunRecordSchema.parse(JSON.parse(await readFile(join(resultsDir, entry.leaf, RUN_RECORD_FILE), 'utf8'))), leaf: join(resultsDir, entry.leaf)})
      } else if (entry.status !== 'SKIPPED') {
        if (entry.status === 'FAILED' && entry.leaf) {
          view.log(`campaign ${record.id}: ${entry.label} FAILED before (${entry.leaf}); it runs again, and the failed leaf stays in the group where verify counts it (remove it to submit only consecutive runs)`)
        }
        record.steps[index] = {index: entry.index, role: entry.role, label: entry.label, status: 'PENDING'}
      }
    }
    const done = record.steps.filter(step => step.status === 'COMPLETED' || step.status === 'SKIPPED').length
    view.log(`campaign ${record.id}: continuing after ${done} of ${record.steps.length} steps`)
  }

  private async runSteps(record: CampaignRecord, plan: CampaignPlan, flags: Record<string, unknown>, resultsDir: string): Promise<void> {
    const view = this.progressView()
    for (const [index, step] of plan.steps.entries()) {
      const entry = record.steps[index]
      if (entry.status === 'COMPLETED' || entry.status === 'SKIPPED') continue
      if (this.stop.signal.aborted) {
        record.status = 'INTERRUPTED'
        break
      }
      const skip = await step.skipReason?.()
      if (skip) {
        record.steps[index] = {...entry, status: 'SKIPPED', reason: skip}
        view.log(`campaign ${record.id}: ${step.label} skipped: ${skip}`)
        await writeCampaignRecord(resultsDir, record)
        continue
      }
      const started = new Date()
      record.steps[index] = {index: entry.index, role: step.role, label: step.label, status: 'RUNNING', startedAt: started.toISOString()}
      await writeCampaignRecord(resultsDir, record)
      view.log(`campaign ${record.id}: ${step.label} (step ${index + 1} of ${plan.steps.length})${this.etaText(record, plan, index, 0, undefined)}`)
      let result: BenchmarkCommandResult & {leaves?: string[]}
      try {
        result = await this.runStep(record, plan, index, step, flags, started)
      } catch (error) {
        const reason = error instanceof MlpsError ? error.render() : (error as Error).message
        record.steps[index] = {...record.steps[index], status: this.stop.signal.aborted ? 'INTERRUPTED' : 'FAILED', reason, endedAt: new Date().toISOString()}
        record.status = this.stop.signal.aborted ? 'INTERRUPTED' : 'FAILED'
        await writeCampaignRecord(resultsDir, record)
        throw error
      }
      const leaves = (result.leaves ?? (result.leaf ? [result.leaf] : [])).map(leaf => relative(resultsDir, leaf))
      const status = result.status === 'COMPLETED' ? 'COMPLETED' : result.status === 'INTERRUPTED' || this.stop.signal.aborted ? 'INTERRUPTED' : 'FAILED'
      record.steps[index] = {
        ...record.steps[index], status, leaf: leaves.at(-1), ...(leaves.length > 1 ? {leaves} : {}), endedAt: new Date().toISOString(),
        ...(status === 'COMPLETED' ? {} : {reason: result.record.statusReason ?? `${step.label} ${result.status}`}),
      }
      if (status === 'COMPLETED' && result.leaf) step.absorb?.({record: result.record, leaf: result.leaf})
      if (status !== 'COMPLETED') record.status = status === 'INTERRUPTED' ? 'INTERRUPTED' : 'FAILED'
      await writeCampaignRecord(resultsDir, record)
      if (status !== 'COMPLETED') break
    }
    if (record.status === 'RUNNING') record.status = this.stop.signal.aborted ? 'INTERRUPTED' : 'COMPLETE'
    delete record.process
    await writeCampaignRecord(resultsDir, record)
  }

  /** One step: its single-run command, in this process, with its place and the campaign's progress view. */
  private async runStep(record: CampaignRecord, plan: CampaignPlan, index: number, step: CampaignStep, flags: Record<string, unknown>, started: Date): Promise<BenchmarkCommandResult & {leaves?: string[]}> {
    const found = this.config.findCommand(step.commandId)
    if (!found) throw new MlpsError(`campaign step "${step.label}" needs the command ${step.commandId.replaceAll(':', ' ')}, which is not installed`, {exitCode: ExitCode.EnvironmentNotReady, fix: 'reinstall the benchmark plugin (mlps plugins)'})
    const StepClass = await found.load() as unknown as DeclaredFlags & (new (argv: string[], config: Config) => Command)
    const argv = stepArgv(StepClass, flags, await step.flags(), this.jsonEnabled())
    const command = new StepClass(argv, this.config)
    if (!(command instanceof BenchmarkCommand)) throw new MlpsError(`${step.commandId.replaceAll(':', ' ')} is not a benchmark command; a campaign step must be one`)
    const total = plan.steps.length
    return await command.runAsCampaignStep({
      place: {id: record.id, step: index + 1, steps: total, role: step.role, label: step.label},
      progress: (progress: Progress) => campaignProgress(progress, {
        label: step.label,
        position: `step ${index + 1}/${total}`,
        remainingSeconds: fraction => this.remaining(record, plan, index, (Date.now() - started.getTime()) / 1000, fraction),
      }),
    }) as BenchmarkCommandResult & {leaves?: string[]}
  }

  private remaining(record: CampaignRecord, plan: CampaignPlan, index: number, elapsed: number, fraction: number | undefined): number | undefined {
    const steps = plan.steps.map((step, i) => ({group: step.timingGroup ?? step.role, entry: record.steps[i]}))
    return remainingSeconds(steps, index, elapsed, fraction)
  }

  private etaText(record: CampaignRecord, plan: CampaignPlan, index: number, elapsed: number, fraction: number | undefined): string {
    const seconds = this.remaining(record, plan, index, elapsed, fraction)
    return seconds === undefined ? '' : `, campaign ETA ${formatDuration(seconds)}`
  }

  private progressViewCache?: Progress
  private progressView(): Progress {
    this.progressViewCache ??= this.createProgress()
    return this.progressViewCache
  }

  private async dryRun(plan: CampaignPlan, key: CampaignKey, parameters: Record<string, unknown>, flags: Record<string, unknown>, resultsDir: string): Promise<CampaignResult> {
    const record = newCampaign(key, parameters, plan)
    const steps: NonNullable<CampaignResult['plan']> = []
    // the argv each step would run with, as a real campaign would run it
    const {'dry-run': _dryRun, ...runFlags} = flags
    for (const [index, step] of plan.steps.entries()) {
      const found = this.config.findCommand(step.commandId)
      let argv: string[] | undefined
      try {
        argv = found ? ['mlps', ...step.commandId.split(':'), ...stepArgv(await found.load() as DeclaredFlags, runFlags, await step.flags(), false)] : undefined
      } catch {
        // a step that depends on an earlier one's result has no argv before that one ran
      }
      steps.push({index: index + 1, role: step.role, label: step.label, command: step.commandId.replaceAll(':', ' '), argv})
    }
    if (!this.jsonEnabled()) {
      this.say(`campaign of ${steps.length} steps (nothing runs in a dry run):`)
      for (const step of steps) this.say(`  ${step.index}. ${step.label}: ${step.argv ? step.argv.join(' ') : `${step.command} (flags decided by the steps before it)`}`)
    }
    return {campaign: record, file: campaignFile(resultsDir, record.id), resumed: false, exitCode: ExitCode.Ok, plan: steps}
  }

  private report(record: CampaignRecord, resultsDir: string): void {
    this.say(`campaign ${record.id}: ${record.status}`)
    for (const step of record.steps) {
      this.say(`  ${step.index}. ${step.label}: ${step.status}${step.leaf ? ` ${join(resultsDir, step.leaf)}` : ''}${step.reason && step.status !== 'COMPLETED' ? ` (${step.reason})` : ''}`)
    }
    this.say(`  record: ${campaignFile(resultsDir, record.id)}`)
    if (record.status !== 'COMPLETE') this.say('  run the same command again to continue from the first step not done')
  }

}

function newCampaign(key: CampaignKey, parameters: Record<string, unknown>, plan: CampaignPlan): CampaignRecord {
  const now = new Date()
  return {
    schemaVersion: CAMPAIGN_RECORD_SCHEMA_VERSION,
    id: [key.benchmark, key.model, key.accelerator, timestampName(now), randomBytes(3).toString('hex')].filter(Boolean).join('_').replaceAll(/[^\w.-]/g, '-'),
    ...key,
    command: 'campaign',
    parameters,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    status: 'RUNNING',
    steps: plan.steps.map((step, index) => ({index: index + 1, role: step.role, label: step.label, status: 'PENDING'})),
    abandoned: [],
  }
}

/** What a resume must match: the flags that say what runs (not how this invocation prints) and the site config's run settings. */
function campaignParameters(flags: Record<string, unknown>, resolved: ResolvedConfig, benchmark: string): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(flags).filter(([name, value]) => !CONTROL_FLAGS.has(name) && value !== undefined && value !== false).sort(([a], [b]) => a.localeCompare(b)))
  const {config} = resolved
  // a digest, not the values: the config may hold credentials, which never reach a record
  const settings = JSON.stringify({launcher: config.launcher, collector: config.collector, engines: config.engines, benchmark: config.benchmarks[benchmark] ?? {}})
  return {flags: given, hosts: config.hosts, configDigest: createHash('sha256').update(settings).digest('hex').slice(0, 16)}
}

function refuseUnlessResumable(previous: CampaignRecord, parameters: Record<string, unknown>, resultsDir: string): void {
  const file = campaignFile(resultsDir, previous.id)
  if (previous.status === 'COMPLETE') {
    const leaves = previous.steps.filter(step => step.leaf).length
    throw new MlpsError(`campaign ${previous.id} of this workload is already complete (${leaves} leaves, ${file}); another one would add runs the rules do not count`, {
      fix: 'verify it with `mlps verify`, or pass --restart to run a new campaign beside it (then keep only one series of runs in the group)',
    })
  }
  if (runningElsewhere(previous)) {
    throw new MlpsError(`campaign ${previous.id} is running now in process ${previous.process!.pid} on this host (${file})`, {
      fix: 'wait for it to end, or stop it (Ctrl-C in its terminal) and run this again to continue it',
    })
  }
  const differences = parameterDifferences(previous.parameters, parameters)
  if (differences.length > 0) {
    throw new MlpsError(`campaign ${previous.id} (${previous.status}, ${previous.steps.filter(step => step.status === 'COMPLETED').length} of ${previous.steps.length} steps done) ran with other parameters; every run of a campaign must use the same ones:\n${differences.map(line => `  ${line}`).join('\n')}`, {
      where: file,
      fix: 'run it again with the same flags and config to continue it, or pass --restart to start a new campaign (the unfinished one\'s leaves stay in the group)',
    })
  }
}

function campaignExitCode(record: CampaignRecord, signal: AbortSignal): ExitCode {
  if (record.status === 'COMPLETE') return ExitCode.Ok
  if (record.status === 'INTERRUPTED') return signal.reason === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted
  return process.exitCode && Number(process.exitCode) !== 0 ? Number(process.exitCode) as ExitCode : ExitCode.RunFailed
}

import {randomUUID} from 'node:crypto'
import {dirname} from 'node:path'
import {BenchmarkCommand, type BenchmarkCommandFlags, type BenchmarkCommandResult, type EnginePlan, ExitCode, Flags, MlpsError, type PlannedWrite, type ResolvedConfig, type RunDescription, type z} from 'mlps'
import type {Registry} from 'mlps/unstable'
import {checkpointingFlags} from '../../checkpointing-flags.js'
import {checkpointingInputs} from '../../checkpointing-inputs.js'
import type {CheckpointPlan} from '../../checkpoint-plan.js'
import {engineOptions} from '../../engine-options.js'
import {MAX_WRITE_READ_GAP_SECONDS} from '../../models.js'
import {cacheLaunch, CLEAR_SCRIPT, type CacheClearOutcome, type CacheClearPlan, clearPageCaches, describeLaunch} from '../../page-cache.js'
import {pairHeadline} from '../../pair-headline.js'
import type {GapParts} from '../../pair-record.js'
import {CheckpointingCommandOptionsSchema, PAIR_KIND, type PairOptions, type PairPhase, runsAsPair, type WriteFacts} from '../../procedure.js'

/** The two invocations of a write/read pair, as `--json` prints them. */
export interface PairResult {
  kind: typeof PAIR_KIND
  pairId: string
  write: BenchmarkCommandResult
  /** what was done between the two (a dry run: what would be) */
  cacheClear?: CacheClearOutcome | CacheClearPlan
  read?: BenchmarkCommandResult
  /** why the read invocation did not run */
  readSkipped?: string
}

/** One step of a pair: the write invocation, the cache clearing, the read invocation. */
export interface PairStep {
  step: 'write' | 'cacheClear' | 'read'
  /** the argv that runs (a dry run: would run) */
  argv?: string[]
  leaf?: string
  status?: string
}

/**
 * One invocation's result; for a pair, `leaf`, `record` and `status` are the last invocation's, `pair` holds
 * both, and `steps` lists every command of the pair in order, so the read half is as visible as the write.
 */
export type CheckpointingRunResult = BenchmarkCommandResult & {leaves?: string[]; pair?: PairResult; steps?: PairStep[]}

interface PairState {
  id: string
  phase: PairPhase
  dryRun: boolean
  config: ResolvedConfig['config']
  write?: WriteFacts
  cacheClear?: CacheClearOutcome
}

const CATEGORY_ORDER = ['CLOSED', 'OPEN', 'UNVERIFIED', 'INVALID']

export default class CheckpointingRun extends BenchmarkCommand<typeof CheckpointingRun> {
  static summary = 'Write 10 checkpoints of an LLM, clear the page cache when the rules need it, and read them back'
  static description = 'Emulated accelerators write the checkpoint shards of --model (llama3 8b/70b/405b/1t) under <checkpoint-folder>/<model>/global_epoch1_step<n>/ with fsync, then read them back, timed as DLIO times them. The whole procedure is one command. When the checkpoints fit in 3 × client memory, the page cache must be cleared between writing and reading (Rules 4.3.1): the native engine (the default, this host only) does it between its two phases; with --engine dlio the command runs the write/read pair the rules allow (Rules 4.7.1): a write invocation (--num-checkpoints-read 0), the cache cleared on every client host through the launcher (needs root or passwordless sudo there, checked before anything starts), then a read invocation (--num-checkpoints-write 0), each in its own run leaf under checkpointing/<model>/run/, the write-end → read-start gap recorded in the read\'s record. --scale shrinks every file for a smoke run (native engine; recorded, never CLOSED).'
  static examples = [
    '<%= config.bin %> checkpointing run --model llama3-8b --num-processes 8 --checkpoint-folder /mnt/sut/ckpt',
    '<%= config.bin %> checkpointing run -m llama3-8b -n 8 --checkpoint-folder /tmp/ckpt --scale 0.001 --param checkpoint.time_between_checkpoints=0.1 --open',
    '<%= config.bin %> checkpointing run -m llama3-70b -n 64 --hosts node[01-08]:8 --client-host-memory-in-gb 512 --checkpoint-folder /mnt/sut/ckpt --engine dlio --dry-run --json',
  ]
  static flags = {
    ...checkpointingFlags,
    engine: Flags.string({description: 'engine that writes and reads the checkpoints: native (built in) or dlio [config: benchmarks.checkpointing.engine]'}),
    'dlio-bin': Flags.string({description: 'path of dlio_benchmark for --engine dlio [config: engines.dlio.bin; default: PATH]'}),
    scale: Flags.string({description: 'native engine only: write each file at this fraction of its size, e.g. 0.001, for a smoke run; recorded, never CLOSED'}),
  }

  protected readonly benchmark = 'checkpointing'
  protected readonly commandName = 'run'

  /** set by the first describeRun when the procedure is a write/read pair */
  private pair?: PairState
  /** Ctrl-C between or during the pair's steps (the core stops a running invocation itself) */
  private readonly stopped = new AbortController()
  private readonly onSignal = (signal: NodeJS.Signals) => this.stopped.abort(signal)

  async run(): Promise<CheckpointingRunResult> {
    try {
      const first = await super.run()
      return this.pair ? await this.finishPair(this.pair, first) : first
    } finally {
      process.off('SIGINT', this.onSignal)
      process.off('SIGTERM', this.onSignal)
    }
  }

  protected async describeRun(flags: BenchmarkCommandFlags<typeof CheckpointingRun>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    if (this.stopped.signal.aborted) throw interrupted(this.stopped.signal, 'before the read invocation started')
    const scale = parseScale(flags.scale)
    const inputs = checkpointingInputs(flags, resolved, true, scale)
    const engine = flags.engine ?? inputs.options.engine
    if (scale !== undefined && engine !== 'native') {
      throw new MlpsError(`--scale works with the native engine only; ${engine} writes full-size checkpoints`, {where: '--scale', fix: 'leave out --scale, or use --engine native'})
    }
    if (!this.pair && runsAsPair(engine, inputs.plan)) {
      this.pair = {id: randomUUID(), phase: 'write', dryRun: flags['dry-run'], config: resolved.config}
      process.on('SIGINT', this.onSignal)
      process.on('SIGTERM', this.onSignal)
    }
    const pair = this.pair
    // the pair's invocations are what `--num-checkpoints-read 0` and then `--num-checkpoints-write 0` would run
    const {plan, memory} = pair
      ? checkpointingInputs({...flags, [pair.phase === 'write' ? 'num-checkpoints-read' : 'num-checkpoints-write']: 0}, resolved, true, scale)
      : inputs
    const procedure: PairOptions | undefined = pair && {kind: PAIR_KIND, pairId: pair.id, phase: pair.phase, write: pair.write, cacheClear: pair.cacheClear}
    const runOptions: z.input<typeof CheckpointingCommandOptionsSchema> = {
      ...engineOptions(plan, memory), workload: plan.workload, baseWorkload: plan.baseWorkload, workloadName: plan.spec.configName,
      dlioBin: flags['dlio-bin'], ...(procedure ? {procedure} : {}),
    }
    return {
      model: plan.spec.model,
      // the rules put checkpoint runs straight under the model: checkpointing/<model>/<ts> (rules.md §2.1)
      commandFolder: false,
      engine,
      numProcesses: plan.processes,
      userOverrides: plan.userOverrides,
      toolInjected: plan.toolInjected,
      options: runOptions,
      parameters: plan.workload,
      plannedWrites: checkpointWrites(plan),
    }
  }

  /** After the write invocation: clear the caches on every client host, then run the read invocation. */
  private async finishPair(pair: PairState, write: BenchmarkCommandResult): Promise<CheckpointingRunResult> {
    const result: PairResult = {kind: PAIR_KIND, pairId: pair.id, write}
    const target = {hosts: write.record.hosts, numProcesses: write.record.numProcesses ?? 1, config: pair.config}
    if (pair.dryRun) {
      try {
        result.cacheClear = describeLaunch(await cacheLaunch(target, CLEAR_SCRIPT))
        this.say(`Then the page cache of every client host is cleared: ${JSON.stringify(result.cacheClear.argv)}`)
      } catch (error) {
        result.readSkipped = `the cache clearing cannot be planned: ${(error as Error).message}`
        return this.pairResult(result)
      }
    } else {
      if (write.status !== 'COMPLETED' || this.stopped.signal.aborted) {
        result.readSkipped = this.stopped.signal.aborted ? 'interrupted' : `the write invocation is ${write.status}`
        return this.pairResult(result)
      }
      pair.write = {runId: write.record.runId, leaf: write.leaf, endedAt: write.record.timings.endedAt, engineEndedAt: write.record.commands.at(-1)?.endedAt}
      this.say(`Clearing the page cache on ${target.hosts.map(host => host.name).join(', ')} before the read invocation (Rules 4.3.1)`)
      pair.cacheClear = await clearPageCaches(target, this.stopped.signal)
      result.cacheClear = pair.cacheClear
      if (this.stopped.signal.aborted) {
        result.readSkipped = 'interrupted while the page cache was being cleared'
        return this.pairResult(result)
      }
    }
    pair.phase = 'read'
    try {
      result.read = await super.run()
    } catch (error) {
      // Ctrl-C between the clearing and the read's start: the write leaf stays, complete, and the result says so
      if (!(error instanceof MlpsError && this.stopped.signal.aborted)) throw error
      result.readSkipped = error.message
    }
    return this.pairResult(result)
  }

  private pairResult(pair: PairResult): CheckpointingRunResult {
    const last = pair.read ?? pair.write
    const exitCode = pair.write.exitCode || (pair.read?.exitCode ?? (this.stopped.signal.aborted ? interruptedCode(this.stopped.signal) : ExitCode.Ok))
    const categories = [pair.write.category, pair.read?.category].filter((c): c is BenchmarkCommandResult['category'] => c !== undefined)
    const category = categories.reduce((worst, c) => CATEGORY_ORDER.indexOf(c) > CATEGORY_ORDER.indexOf(worst) ? c : worst)
    process.exitCode = exitCode
    const leaves = [pair.write.leaf, pair.read?.leaf].filter((leaf): leaf is string => leaf !== undefined)
    if (!this.jsonEnabled()) this.reportPair(pair, leaves)
    const status = pair.read?.status ?? (this.stopped.signal.aborted && pair.write.status === 'COMPLETED' ? 'INTERRUPTED' : pair.write.status)
    return {
      status, category, exitCode, leaf: last.leaf, plan: pair.write.plan, record: last.record, leaves, pair, steps: pairSteps(pair),
      headline: pairHeadline(pair.write.headline, pair.read?.headline, status, category),
    }
  }

  private reportPair(pair: PairResult, leaves: string[]): void {
    this.say(`${PAIR_KIND} ${pair.pairId}:`)
    this.say(`  write: ${pair.write.status}${pair.write.leaf ? ` ${pair.write.leaf}` : ''}`)
    const clear = pair.cacheClear
    if (clear && 'cleared' in clear) {
      this.say(clear.cleared
        ? `  page cache cleared on ${clear.hosts.join(', ')} in ${clear.seconds.toFixed(1)} s`
        : `  page cache NOT cleared: ${clear.reason}`)
    }
    if (pair.read) {
      const facts = pair.read.record.extra.checkpointing as {writeEndToReadStartSeconds?: number; gapParts?: GapParts} | undefined
      const gap = facts?.writeEndToReadStartSeconds
      const parts = facts?.gapParts
      const outside = [['DLIO teardown', parts?.engineTeardown], ['start-up', parts?.engineStartup]]
        .filter((part): part is [string, number] => typeof part[1] === 'number').map(([what, s]) => `${what} ${s.toFixed(1)} s`)
      this.say(`  read:  ${pair.read.status}${pair.read.leaf ? ` ${pair.read.leaf}` : ''}` +
        (gap === undefined ? '' : `, started ${gap.toFixed(1)} s after the write ended (Rules 4.7.1: at most ${MAX_WRITE_READ_GAP_SECONDS} s` +
          `${outside.length > 0 ? `; the engine's ${outside.join(' and ')} are outside it` : ''})`))
    }
    if (pair.readSkipped) this.say(`  read:  not run (${pair.readSkipped})`)
    // the model folder: the group the rules judge the pair in (checkpointing/<model>/, R 2.1.23)
    if (pair.read && leaves.length === 2) this.say(`  verify the pair: mlps verify ${dirname(dirname(leaves[0]))}`)
  }
}

function invocationStep(step: 'write' | 'read', result: BenchmarkCommandResult): PairStep {
  const plan = result.plan as EnginePlan | undefined
  return {step, argv: plan?.argv ?? result.record.commands[0]?.argv, leaf: result.leaf ?? plan?.leaf, status: result.status}
}

function pairSteps(pair: PairResult): PairStep[] {
  const steps = [invocationStep('write', pair.write)]
  if (pair.cacheClear) steps.push({step: 'cacheClear', argv: pair.cacheClear.argv, status: 'cleared' in pair.cacheClear ? (pair.cacheClear.cleared ? 'CLEARED' : 'NOT CLEARED') : 'PLANNED'})
  if (pair.read) steps.push(invocationStep('read', pair.read))
  return steps
}

function interruptedCode(signal: AbortSignal): ExitCode {
  return signal.reason === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted
}

function interrupted(signal: AbortSignal, when: string): MlpsError {
  return new MlpsError(`stopped by ${String(signal.reason)} ${when}`, {exitCode: interruptedCode(signal)})
}

function parseScale(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!(Number.isFinite(value) && value > 0 && value <= 1)) {
    throw new MlpsError(`"${text}" is not a fraction in (0, 1]`, {where: '--scale', fix: 'pass e.g. --scale 0.001'})
  }
  return value
}

/** The checkpoints the write phase puts in the checkpoint folder, for the free-space check before the run. */
function checkpointWrites(plan: CheckpointPlan): PlannedWrite[] | undefined {
  const folder = plan.workload.checkpoint?.checkpoint_folder
  if (!folder || plan.diskBytes === 0) return undefined
  return [{path: folder, bytes: plan.diskBytes, what: `${plan.numCheckpointsWrite} checkpoint(s) of ${plan.spec.model}`,
    fix: 'free space, or point --checkpoint-folder at a larger file system'}]
}

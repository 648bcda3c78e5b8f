import {BenchmarkCommand, type BenchmarkCommandFlags, type BenchmarkCommandResult, type ResolvedConfig, type RunDescription} from 'mlps'
import {formatBytes, type LifecycleOutcome, type Registry} from 'mlps/unstable'
import type {CheckpointPlan} from '../../checkpoint-plan.js'
import {checkpointingFlags} from '../../checkpointing-flags.js'
import {type CheckpointingFlags, checkpointingInputs, type HostMemory} from '../../checkpointing-inputs.js'
import {CACHE_CLEAR_MEMORY_MULTIPLE, MAX_WRITE_READ_GAP_SECONDS} from '../../models.js'

/** The datasize answer, as `--json` prints it (beside the run record). */
export interface CheckpointDatasizeSummary {
  model: string
  mode: CheckpointPlan['mode']
  processes: number
  parameters: number
  /** DLIO's checkpoint_size_GB: GiB one checkpoint writes, all ranks */
  checkpointSizeGiB: number
  checkpointBytes: number
  modelSizeGiB: number
  optimizerSizeGiB: number
  numCheckpointsWrite: number
  numCheckpointsRead: number
  /** disk the written checkpoints need */
  diskBytes: number
  /** model + optimizer state each rank holds in memory */
  rankStateBytes: {min: number; max: number; rank0: number}
  hosts: Array<{name: string; ranks: number; checkpointBytes: number; diskBytes: number; stateBytes: number; memoryBytes: number; cacheClearRequired: boolean}>
  memorySource: HostMemory['source']
  cacheClearRequired: boolean
  /** Rules Table 2's printed size, for comparison */
  rulesTableSizeGiB: number
  commands: Array<{what: string; argv?: string[]}>
}

export default class CheckpointingDatasize extends BenchmarkCommand<typeof CheckpointingDatasize> {
  static summary = 'Size a checkpointing run: bytes per checkpoint, disk for all of them, memory per rank, and whether caches must be cleared'
  static description = 'Sizes come from the model\'s geometry exactly as DLIO computes them (llama3-8b on 8 processes: 104.7 GiB per checkpoint). Per host: the bytes its ranks write, the state they hold, and whether the checkpoint data is under 3 × the host\'s memory, in which case the page cache must be cleared between writing and reading (Rules 4.3.1). Prints the commands that run the procedure.'
  static examples = [
    '<%= config.bin %> checkpointing datasize --model llama3-8b --num-processes 8 --client-host-memory-in-gb 512',
    '<%= config.bin %> checkpointing datasize -m llama3-405b -n 512 --hosts node[001-064]:8 --client-host-memory-in-gb 1024 --checkpoint-folder /mnt/sut/ckpt --json',
  ]
  static flags = checkpointingFlags

  protected readonly benchmark = 'checkpointing'
  protected readonly commandName = 'datasize'

  async run(): Promise<BenchmarkCommandResult & Partial<CheckpointDatasizeSummary>> {
    const result = await super.run()
    return {...(result.record.extra.datasize as CheckpointDatasizeSummary | undefined), ...result}
  }

  protected async describeRun(flags: BenchmarkCommandFlags<typeof CheckpointingDatasize>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const {plan, memory, checkpointFolder} = checkpointingInputs(flags, resolved, false)
    return {
      model: plan.spec.model,
      parameters: plan.workload,
      numProcesses: plan.processes,
      userOverrides: plan.userOverrides,
      toolInjected: plan.toolInjected,
      execute: async () => {
        const summary = datasizeSummary(plan, memory, runArgv(flags, resolved, checkpointFolder))
        return {
          status: 'COMPLETED',
          metrics: {checkpoint_size_GB: summary.checkpointSizeGiB, checkpointBytes: summary.checkpointBytes, diskBytes: summary.diskBytes, cacheClearRequired: summary.cacheClearRequired},
          extra: {datasize: summary},
        }
      },
    }
  }

  protected report(outcome: LifecycleOutcome): void {
    const size = outcome.record.extra.datasize as CheckpointDatasizeSummary | undefined
    if (!size) return super.report(outcome)
    this.say(`${size.model} on ${size.processes} processes (${size.mode} mode, ${size.parameters.toLocaleString('en-US')} parameters):`)
    this.say(`  one checkpoint:      ${size.checkpointSizeGiB.toFixed(3)} GiB (model ${size.modelSizeGiB.toFixed(3)} + optimizer ${size.optimizerSizeGiB.toFixed(3)}); Rules Table 2 prints ${size.rulesTableSizeGiB} GiB`)
    this.say(`  disk for ${size.numCheckpointsWrite} writes:   ${formatBytes(size.diskBytes)}`)
    this.say(`  state per rank:      ${formatBytes(size.rankStateBytes.min)}${size.rankStateBytes.max === size.rankStateBytes.min ? '' : ` to ${formatBytes(size.rankStateBytes.max)} (rank 0 ${formatBytes(size.rankStateBytes.rank0)})`} in memory`)
    for (const host of size.hosts) {
      this.say(`  ${host.name}: ${host.ranks} ranks, ${formatBytes(host.checkpointBytes)} per checkpoint, ${formatBytes(host.stateBytes)} of state, ${formatBytes(host.memoryBytes)} memory (${size.memorySource})` +
        (host.cacheClearRequired ? ` → under ${CACHE_CLEAR_MEMORY_MULTIPLE}× memory: clear the page cache between write and read` : ''))
    }
    for (const command of size.commands) this.say(`  ${command.what}${command.argv ? `: ${command.argv.map(shellQuote).join(' ')}` : ''}`)
    if (outcome.leaf) this.say(`  datasize leaf: ${outcome.leaf}`)
  }
}

function datasizeSummary(plan: CheckpointPlan, memory: HostMemory, run: string[]): CheckpointDatasizeSummary {
  const states = plan.fullLayout.ranks.map(r => r.modelStateBytes + r.optimizerStateBytes)
  const dlioPair = {
    what: `with DLIO, one command runs the write/read pair: 10 writes, the page cache cleared on every client host (root or passwordless sudo there), 10 reads within ${MAX_WRITE_READ_GAP_SECONDS} s`,
    argv: [...run, '--engine', 'dlio'],
  }
  // the native engine runs on one host, where it clears the cache itself between the phases
  const commands: CheckpointDatasizeSummary['commands'] = !plan.cacheClearRequired
    ? [{what: 'run', argv: run}]
    : plan.hosts.length === 1
      ? [{what: 'one command with the native engine (it clears the cache between the phases; needs root)', argv: run}, dlioPair]
      : [dlioPair]
  return {
    model: plan.spec.model, mode: plan.mode, processes: plan.processes, parameters: plan.fullLayout.parameters,
    checkpointSizeGiB: plan.fullLayout.checkpointSizeGiB, checkpointBytes: plan.fullLayout.checkpointBytes,
    modelSizeGiB: plan.fullLayout.modelSizeGiB, optimizerSizeGiB: plan.fullLayout.optimizerSizeGiB,
    numCheckpointsWrite: plan.numCheckpointsWrite, numCheckpointsRead: plan.numCheckpointsRead, diskBytes: plan.diskBytes,
    rankStateBytes: {min: Math.min(...states), max: Math.max(...states), rank0: states[0]},
    hosts: plan.hosts.map(h => ({name: h.name, ranks: h.ranks.length, checkpointBytes: h.checkpointBytes, diskBytes: h.checkpointBytes * plan.numCheckpointsWrite, stateBytes: h.stateBytes, memoryBytes: h.memoryBytes, cacheClearRequired: h.cacheClearRequired})),
    memorySource: memory.source,
    cacheClearRequired: plan.cacheClearRequired,
    rulesTableSizeGiB: plan.spec.rulesTableSizeGiB,
    commands,
  }
}

/** The `mlps checkpointing run` that performs what was sized. */
function runArgv(flags: CheckpointingFlags, resolved: ResolvedConfig, checkpointFolder: string | undefined): string[] {
  const argv = ['mlps', 'checkpointing', 'run', '--model', String(flags.model), '--num-processes', String(flags['num-processes'])]
  if (resolved.sources.get('hosts')) argv.push('--hosts', resolved.config.hosts.join(','))
  if (flags['client-host-memory-in-gb'] !== undefined) argv.push('--client-host-memory-in-gb', String(flags['client-host-memory-in-gb']))
  argv.push('--checkpoint-folder', checkpointFolder ?? '<folder on the storage under test>')
  for (const flag of ['num-checkpoints-write', 'num-checkpoints-read'] as const) if (flags[flag] !== 10) argv.push(`--${flag}`, String(flags[flag]))
  if (flags.mode !== undefined) argv.push('--mode', String(flags.mode))
  for (const param of flags.param ?? []) argv.push('--param', param)
  if (resolved.sources.get('resultsDir')) argv.push('--results-dir', resolved.config.resultsDir)
  return argv
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}

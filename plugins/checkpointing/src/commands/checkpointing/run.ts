import {BenchmarkCommand, Flags, MlpsError, type Registry, type ResolvedConfig, type RunDescription} from 'mlps'
import {checkpointingFlags} from '../../checkpointing-flags.js'
import {checkpointingInputs} from '../../checkpointing-inputs.js'
import {engineOptions} from '../../engine-options.js'

export default class CheckpointingRun extends BenchmarkCommand {
  static summary = 'Write 10 checkpoints of an LLM, clear the page cache when the rules need it, and read them back'
  static description = 'Emulated accelerators write the checkpoint shards of --model (llama3 8b/70b/405b/1t) under <checkpoint-folder>/<model>/global_epoch1_step<n>/ with fsync, then read them back, timed as DLIO times them. With the native engine (the default) the whole procedure is one command: the writes, the page-cache clearing Rules 4.3.1 asks for when the checkpoints fit in 3 × client memory, then the reads. --scale shrinks every file for a smoke run (recorded, never CLOSED).'
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

  protected async describeRun(flags: Record<string, unknown>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const scale = parseScale(flags.scale as string | undefined)
    const {plan, memory, options} = checkpointingInputs(flags, resolved, true, scale)
    const engine = (flags.engine as string | undefined) ?? options.engine
    if (scale !== undefined && engine !== 'native') {
      throw new MlpsError(`--scale works with the native engine only; ${engine} writes full-size checkpoints`, {where: '--scale', fix: 'leave out --scale, or use --engine native'})
    }
    return {
      model: plan.spec.model,
      engine,
      workload: plan.workload,
      baseWorkload: plan.baseWorkload,
      workloadName: plan.spec.configName,
      numProcesses: plan.processes,
      userOverrides: plan.userOverrides,
      toolInjected: plan.toolInjected,
      options: {...engineOptions(plan, memory), dlioBin: flags['dlio-bin'] as string | undefined},
    }
  }
}

function parseScale(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!(Number.isFinite(value) && value > 0 && value <= 1)) {
    throw new MlpsError(`"${text}" is not a fraction in (0, 1]`, {where: '--scale', fix: 'pass e.g. --scale 0.001'})
  }
  return value
}

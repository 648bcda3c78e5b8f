import {CampaignCommand, type CampaignCommandFlags, type CampaignPlan, Flags, type ResolvedConfig} from 'mlps/unstable'
import {checkpointingFlags} from '../../checkpointing-flags.js'

export default class CheckpointingCampaign extends CampaignCommand<typeof CheckpointingCampaign> {
  static summary = 'Run what the rules count for a checkpointing model: its write and read invocations, as one resumable campaign'
  static description = 'Runs `checkpointing run` with the same flags as one campaign step: one invocation of 10 writes and 10 reads, or, when the page cache must be cleared between them and the engine cannot do it itself, the write/read pair Rules 4.7.1 allows (10/0 then 0/10, the caches cleared in between). The campaign record in <results-dir>/.mlps/campaigns/<id>.json lists the leaves; run again after an interruption, it runs the invocations that are missing, and refuses other parameters.'
  static examples = [
    '<%= config.bin %> checkpointing campaign --model llama3-8b --num-processes 8 --checkpoint-folder /mnt/sut/ckpt',
    '<%= config.bin %> checkpointing campaign -m llama3-8b -n 8 --checkpoint-folder /tmp/ckpt --scale 0.001 --param checkpoint.time_between_checkpoints=0.1 --open',
  ]
  static flags = {
    ...checkpointingFlags,
    engine: Flags.string({description: 'engine that writes and reads the checkpoints: native (built in) or dlio [config: benchmarks.checkpointing.engine]'}),
    'dlio-bin': Flags.string({description: 'path of dlio_benchmark for --engine dlio [config: engines.dlio.bin; default: PATH]'}),
    scale: Flags.string({description: 'native engine only: write each file at this fraction of its size, e.g. 0.001, for a smoke run; recorded, never CLOSED'}),
  }

  protected readonly benchmark = 'checkpointing'

  protected async plan(flags: CampaignCommandFlags<typeof CheckpointingCampaign>, _resolved: ResolvedConfig): Promise<CampaignPlan> {
    const writes = flags['num-checkpoints-write']
    const reads = flags['num-checkpoints-read']
    const role = writes > 0 && reads > 0 ? 'write+read' : writes > 0 ? 'write' : 'read'
    return {
      model: flags.model,
      steps: [{role, label: `${writes} writes, ${reads} reads`, commandId: 'checkpointing:run', timingGroup: role, flags: () => ({})}],
    }
  }
}

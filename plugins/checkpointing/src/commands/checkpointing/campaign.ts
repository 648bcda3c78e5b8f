import {CampaignCommand, type CampaignCommandFlags, type CampaignPlan, type ResolvedConfig} from 'mlps/unstable'
import CheckpointingRun from './run.js'

export default class CheckpointingCampaign extends CampaignCommand<typeof CheckpointingCampaign> {
  static summary = 'Run what the rules count for a checkpointing model: its write and read invocations, as one resumable campaign'
  static description = 'Runs `checkpointing run` with the same flags as one campaign step: one invocation of 10 writes and 10 reads, or, when the page cache must be cleared between them and the engine cannot do it itself, the write/read pair Rules 4.7.1 allows (10/0 then 0/10, the caches cleared in between). The campaign record in <results-dir>/.mlps/campaigns/<id>.json lists the leaves; run again after an interruption, it runs the invocations that are missing, and refuses other parameters.'
  static examples = [
    '<%= config.bin %> checkpointing campaign --model llama3-8b --num-processes 8 --checkpoint-folder /mnt/sut/ckpt',
    '<%= config.bin %> checkpointing campaign -m llama3-8b -n 8 --checkpoint-folder /tmp/ckpt --scale 0.001 --param checkpoint.time_between_checkpoints=0.1 --open',
  ]
  // the step is `checkpointing run`: the same flags, declared once there
  static flags = CheckpointingRun.flags

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

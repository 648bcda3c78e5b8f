import {CampaignCommand, type CampaignCommandFlags, type CampaignPlan, type ResolvedConfig} from 'mlps/unstable'
import {runFlags, workloadFlags} from '../../kvcache-flags.js'

export default class KvCacheCampaign extends CampaignCommand<typeof KvCacheCampaign> {
  static summary = 'Run what the rules count for the KV-cache benchmark (3 options × 3 trials) as a campaign with its own record'
  static description = 'Runs `kvcache run` with the same flags as one campaign step: in CLOSED the three options × 3 trials in one invocation and one leaf (R 6.3.1, 6.3.2). The campaign record in <results-dir>/.mlps/campaigns/<id>.json names the leaf; run again after an interruption, it runs the invocation again, and refuses other parameters.'
  static examples = [
    '<%= config.bin %> kvcache campaign --cache-dir /mnt/nvme/kvcache --kvcache-bin-path ~/storage/kv_cache_benchmark/kv-cache.py',
  ]
  static flags = {...workloadFlags, ...runFlags}

  protected readonly benchmark = 'kvcache'

  protected async plan(flags: CampaignCommandFlags<typeof KvCacheCampaign>, _resolved: ResolvedConfig): Promise<CampaignPlan> {
    return {model: flags.model, steps: [{role: 'run', label: 'options × trials', commandId: 'kvcache:run', flags: () => ({})}]}
  }
}

import {z} from 'mlps'

/** `benchmarks.checkpointing` in the site config. */
export const CheckpointingOptionsSchema = z.object({
  checkpointFolder: z.string().min(1).optional().describe('where checkpoints are written: <checkpointFolder>/<model>/global_epoch1_step<n>/'),
  engine: z.string().min(1).default('native').describe('engine used when --engine is not given'),
  clientHostMemoryGiB: z.number().positive().optional().describe('memory of each client host, when it cannot be measured'),
}).strict()

export type CheckpointingOptions = z.output<typeof CheckpointingOptionsSchema>

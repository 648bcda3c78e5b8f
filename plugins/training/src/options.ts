import {z} from 'mlps'

/** `benchmarks.training` in the site config. */
export const TrainingOptionsSchema = z.object({
  dataDir: z.string().min(1).optional().describe('where datasets live; <dataDir>/<model>/train/ holds the files'),
  engine: z.string().min(1).default('native').describe('engine used when --engine is not given'),
  accelerator: z.enum(['a100', 'h100', 'b200', 'mi355']).optional().describe('default --accelerator-type'),
  clientHostMemoryGiB: z.number().positive().optional().describe('memory of each client host, when it cannot be measured'),
}).strict()

export type TrainingOptions = z.output<typeof TrainingOptionsSchema>

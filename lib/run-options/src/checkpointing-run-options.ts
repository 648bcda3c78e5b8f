import {z} from 'mlps'
import {DLIO_RUN_OPTION_FLAGS, DlioRunOptionsSchema} from './dlio-run-options.js'

const bytes = z.number().int().nonnegative()

/**
 * What `mlps checkpointing run` hands an engine (dlio, native) as
 * ctx.options, beside the workload: the layout every rank writes (file
 * names and exact byte counts, so engines never recompute the geometry), the
 * scale, and whether the rules want the page cache cleared between the
 * write and read phases.
 */
export const CheckpointingRunOptionsSchema = DlioRunOptionsSchema.extend({
  mode: z.enum(['default', 'subset']),
  /** 1 for a real run; below 1 for a scaled-down smoke run (never CLOSED) */
  scale: z.number().positive().max(1),
  cacheClearRequired: z.boolean(),
  clientHostMemoryBytes: z.array(bytes),
  memorySource: z.enum(['flag', 'config', 'measured']),
  layout: z.object({
    checkpointBytes: bytes,
    ranks: z.array(z.object({rank: z.number().int().nonnegative(), files: z.array(z.object({name: z.string().min(1), bytes}))})),
  }),
  hosts: z.array(z.object({name: z.string().min(1), ranks: z.array(z.number().int().nonnegative()), checkpointBytes: bytes, memoryBytes: bytes, cacheClearRequired: z.boolean()})),
})
export type CheckpointingRunOptions = z.output<typeof CheckpointingRunOptionsSchema>

export const CHECKPOINTING_RUN_OPTION_FLAGS = {
  ...DLIO_RUN_OPTION_FLAGS, mode: '--mode', scale: '--scale', clientHostMemoryBytes: '--client-host-memory-in-gb',
  'workload.checkpoint.checkpoint_folder': '--checkpoint-folder',
} as const

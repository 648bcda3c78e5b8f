import {z} from 'mlps'
import {DlioWorkloadSchema} from './dlio-workload.js'

/**
 * What every benchmark run by a DLIO-shaped engine (dlio, native) hands it:
 * the workload with the user's overrides, the official one before them (the
 * config file DLIO is given) and the official config's name. Training and
 * checkpointing options extend it, so the dlio engine reads either.
 */
export const DlioRunOptionsSchema = z.object({
  /** the workload with the user's --param overrides applied */
  workload: DlioWorkloadSchema,
  /** the same workload as the official config has it, before any override */
  baseWorkload: DlioWorkloadSchema,
  /** the official config's name, e.g. unet3d_b200, unet3d_datagen, llama3_8b */
  workloadName: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . and - only (it names a file)'),
  /** --dlio-bin: the dlio_benchmark to run; else engines.dlio.bin, else PATH */
  dlioBin: z.string().min(1).optional(),
})
export type DlioRunOptions = z.output<typeof DlioRunOptionsSchema>

/** Option → the flag a user sets it with, for the core's error messages. */
export const DLIO_RUN_OPTION_FLAGS = {workload: '--param', dlioBin: '--dlio-bin'} as const

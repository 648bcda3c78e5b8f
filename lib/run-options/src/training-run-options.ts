import {z} from 'mlps'
import {DLIO_RUN_OPTION_FLAGS, DlioRunOptionsSchema} from './dlio-run-options.js'

/** What `mlps training datagen|run` hands an engine (dlio, native) as ctx.options. */
export const TrainingRunOptionsSchema = DlioRunOptionsSchema.extend({
  /** <data-dir>/<model>: the dataset's folder, as placed in workload.dataset.data_folder */
  dataFolder: z.string().min(1),
  /** run: drop the page cache before each epoch (needs root) */
  dropCaches: z.boolean().optional(),
  /** run: each client host's memory, when given instead of measured (the caching checks use it) */
  clientHostMemoryBytes: z.number().int().positive().optional(),
})
export type TrainingRunOptions = z.output<typeof TrainingRunOptionsSchema>

export const TRAINING_RUN_OPTION_FLAGS = {
  ...DLIO_RUN_OPTION_FLAGS, dataFolder: '--data-dir', dropCaches: '--drop-caches', clientHostMemoryBytes: '--client-host-memory-in-gb',
} as const

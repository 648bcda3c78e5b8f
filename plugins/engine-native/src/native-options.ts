import {z} from 'mlps'

/** `engines.native` in the site config. */
export const NativeOptionsSchema = z.object({
  datagenConcurrency: z.number().int().positive().optional().describe('files written at once by datagen (default: --num-accelerators)'),
}).strict()

export type NativeOptions = z.output<typeof NativeOptionsSchema>

import {z} from 'zod'

/** Where one storage path of a run lives, as the run record keeps it: no credentials, only where the data went. */
export const RecordedStorageSchema = z.discriminatedUnion('kind', [
  z.object({role: z.string(), kind: z.literal('filesystem'), path: z.string()}),
  z.object({role: z.string(), kind: z.literal('object'), uri: z.string(), endpoint: z.string().optional(), region: z.string()}),
])
export type RecordedStorage = z.infer<typeof RecordedStorageSchema>

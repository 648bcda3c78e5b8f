import {z} from 'zod'

export const RAW_REPORT_FORMAT = 'mlps-gather/1'

/**
 * What a gatherer prints for one host at one instant: the raw text of the
 * files it read plus the few facts that are not files (statfs, interface
 * speeds, whole disks). Every gatherer (in-process, the shell program over
 * SSH and MPI) produces this same shape, and one parser turns it into
 * HostFacts, so facts cannot differ by how they were collected.
 */
export const RawHostReportSchema = z.object({
  format: z.literal(RAW_REPORT_FORMAT),
  mode: z.enum(['snapshot', 'sample']),
  /** the host's clock when it started reading, in ms since the epoch */
  timeMs: z.number(),
  /** false when the host's `date` has no sub-second field: the time is then good to a second */
  timePrecise: z.boolean(),
  files: z.record(z.string(), z.string()),
  statfs: z.array(z.object({
    mountPoint: z.string(), blockSize: z.number(), blocks: z.number(), freeBlocks: z.number(), availableBlocks: z.number(),
  })),
  net: z.array(z.object({name: z.string(), speed: z.number().nullable(), mtu: z.number().nullable()})),
  blockDevices: z.array(z.string()),
  /** content of the probe file, null when the host could not read it, absent when no probe was asked for */
  probe: z.string().nullable().optional(),
  /** CPU seconds the gatherer itself had used when it finished (user + system, with children) */
  cpuSeconds: z.number().optional(),
  errors: z.record(z.string(), z.string()),
})
export type RawHostReport = z.infer<typeof RawHostReportSchema>

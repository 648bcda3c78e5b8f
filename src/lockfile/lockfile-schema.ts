import {z} from 'zod'

export const LOCKFILE_FORMAT = 'mlps-lock/1'
export const DEFAULT_LOCKFILE = 'mlps-lock.json'

/** source (the check that read them, e.g. <engine>.python) → name → version */
export const HostVersionsSchema = z.record(z.string(), z.record(z.string(), z.string()))
export type HostVersions = z.infer<typeof HostVersionsSchema>

/**
 * `mlps-lock.json`: per host, the versions that shape results (mlps and its
 * plugins, Node, the MPI, each Python engine's interpreter and packages), as
 * the checks read them (user-asks.md §4 item 14).
 */
export const LockfileSchema = z.object({
  format: z.literal(LOCKFILE_FORMAT),
  generatedAt: z.string(),
  generatedBy: z.object({mlps: z.string(), host: z.string()}),
  hosts: z.record(z.string(), HostVersionsSchema).refine(hosts => Object.keys(hosts).length > 0, 'records no host'),
})
export type Lockfile = z.infer<typeof LockfileSchema>

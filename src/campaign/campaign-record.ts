import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {z} from 'zod'
import {writeJsonAtomic} from '../results/atomic-write.js'

export const CAMPAIGN_RECORD_SCHEMA_VERSION = 1

export const CampaignStatusSchema = z.enum(['RUNNING', 'COMPLETE', 'FAILED', 'INTERRUPTED'])
export type CampaignStatus = z.infer<typeof CampaignStatusSchema>

/** A step's state: PENDING until reached, SKIPPED when its work was already there (a dataset big enough). */
export const CampaignStepStatusSchema = z.enum(['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'INTERRUPTED', 'SKIPPED'])
export type CampaignStepStatus = z.infer<typeof CampaignStepStatusSchema>

const CampaignStepSchema = z.object({
  index: z.number().int().positive(),
  role: z.string(),
  label: z.string(),
  /** the step's run leaf, relative to the results dir (the last one where the step made several) */
  leaf: z.string().optional(),
  /** every leaf the step made, relative to the results dir, when it made more than one */
  leaves: z.array(z.string()).optional(),
  status: CampaignStepStatusSchema,
  /** why it was skipped, failed or stopped */
  reason: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
})
export type CampaignStepEntry = z.infer<typeof CampaignStepSchema>

/** A leaf of a step that never finished (the process killed, Ctrl-C), moved out of the counted tree when the campaign resumed. */
const AbandonedLeafSchema = z.object({
  index: z.number().int().positive(),
  /** where it was, relative to the results dir */
  leaf: z.string(),
  /** where it is now, relative to the results dir (under .mlps/campaigns/<id>/abandoned/) */
  movedTo: z.string(),
  status: z.string(),
  movedAt: z.string(),
})

/** `.mlps/campaigns/<id>.json`: one campaign's own record (the shared contract of the results dir's private state). */
export const CampaignRecordSchema = z.object({
  schemaVersion: z.literal(CAMPAIGN_RECORD_SCHEMA_VERSION),
  id: z.string(),
  benchmark: z.string(),
  command: z.string(),
  model: z.string().optional(),
  accelerator: z.string().optional(),
  division: z.enum(['closed', 'open']),
  organization: z.string(),
  systemName: z.string(),
  /** what every step runs with; a resume with other parameters is refused */
  parameters: z.record(z.string(), z.unknown()),
  startedAt: z.string(),
  updatedAt: z.string(),
  status: CampaignStatusSchema,
  steps: z.array(CampaignStepSchema),
  abandoned: z.array(AbandonedLeafSchema).default([]),
  /** the process running it while RUNNING, so a second invocation does not run the same campaign at once */
  process: z.object({pid: z.number().int(), hostname: z.string()}).optional(),
})
export type CampaignRecord = z.output<typeof CampaignRecordSchema>

export function campaignsDir(resultsDir: string): string {
  return join(resultsDir, '.mlps', 'campaigns')
}

export function campaignFile(resultsDir: string, id: string): string {
  return join(campaignsDir(resultsDir), `${id}.json`)
}

/** Written whole, atomically, after every change: a reader (or a resume after SIGKILL) sees one consistent state. */
export async function writeCampaignRecord(resultsDir: string, record: CampaignRecord): Promise<void> {
  record.updatedAt = new Date().toISOString()
  await writeJsonAtomic(campaignFile(resultsDir, record.id), record)
}

export interface CampaignRecords {
  records: CampaignRecord[]
  /** files under .mlps/campaigns/ that are not campaign records, with why */
  unreadable: Array<{file: string; problem: string}>
}

export async function readCampaignRecords(resultsDir: string): Promise<CampaignRecords> {
  const dir = campaignsDir(resultsDir)
  let names: string[]
  try {
    names = (await readdir(dir)).filter(name => name.endsWith('.json') && !name.startsWith('.'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], unreadable: []}
    throw error
  }
  const result: CampaignRecords = {records: [], unreadable: []}
  for (const name of names.sort()) {
    const file = join(dir, name)
    try {
      const parsed = CampaignRecordSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
      if (parsed.success) result.records.push(parsed.data)
      else result.unreadable.push({file, problem: parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')})
    } catch (error) {
      result.unreadable.push({file, problem: (error as Error).message})
    }
  }
  return result
}

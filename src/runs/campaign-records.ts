import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {z} from 'zod'
import {PRIVATE_FOLDER} from '../submit/collect-files.js'

/** The part of a campaign's record (`.mlps/campaigns/<id>.json`, written by the campaign commands) that says which leaves it made. */
const CampaignRecordSchema = z.object({
  id: z.string(),
  status: z.string(),
  steps: z.array(z.object({index: z.number(), role: z.string(), leaf: z.string().optional(), status: z.string()}).loose()),
}).loose()

export interface CampaignNeed {
  campaign: string
  status: string
  /** the record's file, relative to the results dir */
  file: string
  step?: {index: number; role: string}
  /** the record could not be read: whether it needs the leaf is unknown */
  unreadable?: string
}

/** The campaigns whose records name a leaf (relative to the results dir) as one of their steps, and records that cannot be read. */
export async function campaignsNeeding(resultsRoot: string, leaf: string): Promise<CampaignNeed[]> {
  const folder = join(resultsRoot, PRIVATE_FOLDER, 'campaigns')
  const names = await readdir(folder).catch(() => [] as string[])
  const needs: CampaignNeed[] = []
  for (const name of names.filter(entry => entry.endsWith('.json')).sort()) {
    const file = `${PRIVATE_FOLDER}/campaigns/${name}`
    let record
    try {
      record = CampaignRecordSchema.parse(JSON.parse(await readFile(join(folder, name), 'utf8')))
    } catch (error) {
      needs.push({campaign: name.replace(/\.json$/, ''), status: 'unknown', file, unreadable: (error as Error).message.split('\n')[0]})
      continue
    }
    const step = record.steps.find(candidate => candidate.leaf !== undefined && candidate.leaf.replace(/\/+$/, '') === leaf)
    if (step) needs.push({campaign: record.id, status: record.status, file, step: {index: step.index, role: step.role}})
  }
  return needs
}

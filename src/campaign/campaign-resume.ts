import {mkdir, readdir, readFile, rename, stat} from 'node:fs/promises'
import {hostname} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {RUN_RECORD_FILE} from '../results/run-record.js'
import {type CampaignRecord, campaignsDir} from './campaign-record.js'

/** What makes two campaigns the same workload: the same results group. */
export type CampaignKey = Pick<CampaignRecord, 'benchmark' | 'model' | 'accelerator' | 'division' | 'organization' | 'systemName'>

export function sameWorkload(record: CampaignRecord, key: CampaignKey): boolean {
  return record.benchmark === key.benchmark && record.model === key.model && record.accelerator === key.accelerator &&
    record.division === key.division && record.organization === key.organization && record.systemName === key.systemName
}

/** The latest campaign of this workload, if any. */
export function latestCampaign(records: readonly CampaignRecord[], key: CampaignKey): CampaignRecord | undefined {
  return records.filter(record => sameWorkload(record, key)).sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1)
}

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into)
  } else {
    into.set(prefix, JSON.stringify(value))
  }
}

/** Every parameter that differs, as "key: was X, now Y". */
export function parameterDifferences(before: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const a = new Map<string, string>()
  const b = new Map<string, string>()
  flatten(before, '', a)
  flatten(now, '', b)
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort()
  return keys.filter(key => a.get(key) !== b.get(key)).map(key => `${key}: was ${a.get(key) ?? 'not given'}, now ${b.get(key) ?? 'not given'}`)
}

/** A RUNNING campaign whose process still lives on this host: another invocation is running it now. */
export function runningElsewhere(record: CampaignRecord): boolean {
  if (record.status !== 'RUNNING' || !record.process || record.process.hostname !== hostname() || record.process.pid === process.pid) return false
  try {
    process.kill(record.process.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function leavesUnder(dir: string, depth: number): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, {withFileTypes: true})
  } catch {
    return []
  }
  if (entries.some(entry => entry.isFile() && entry.name === RUN_RECORD_FILE)) return [dir]
  if (depth === 0) return []
  const nested = await Promise.all(entries.filter(entry => entry.isDirectory() && !entry.name.startsWith('.')).map(entry => leavesUnder(join(dir, entry.name), depth - 1)))
  return nested.flat()
}

/**
 * Leaves of this campaign's steps that the campaign did not record as finished (the process was
 * killed, or stopped by Ctrl-C), found by the campaign id in their run records under `searchRoot`:
 * the step runs again, and left in place they would count as runs of the group. That includes a
 * COMPLETED leaf of an unfinished step (the write half of a pair whose read never ran, or a run the
 * kill caught before the campaign recorded it). They move to `.mlps/campaigns/<id>/abandoned/`, kept
 * for inspection, and the record lists them. FAILED leaves stay: a failure is a result the rules see.
 */
export async function moveAbandonedLeaves(resultsDir: string, searchRoot: string, record: CampaignRecord): Promise<CampaignRecord['abandoned']> {
  const kept = new Set(record.steps.filter(step => step.status === 'COMPLETED' || step.status === 'FAILED')
    .flatMap(step => [step.leaf, ...step.leaves ?? []]).filter((leaf): leaf is string => leaf !== undefined))
  const moved: CampaignRecord['abandoned'] = []
  for (const leaf of await leavesUnder(searchRoot, 8)) {
    const relativeLeaf = relative(resultsDir, leaf)
    if (kept.has(relativeLeaf)) continue
    let run: {campaign?: {id?: string; step?: number}; status?: string}
    try {
      run = JSON.parse(await readFile(join(leaf, RUN_RECORD_FILE), 'utf8'))
    } catch {
      // a kill between making a step's leaf and writing its first record leaves a bare folder: the campaign's own if made since it started
      if ((await stat(leaf)).mtimeMs < Date.parse(record.startedAt)) continue
      const running = record.steps.find(step => step.status === 'RUNNING')
      run = {campaign: {id: record.id, step: running?.index}, status: 'unknown'}
    }
    if (run.campaign?.id !== record.id || run.status === 'FAILED') continue
    const target = join(campaignsDir(resultsDir), record.id, 'abandoned', relativeLeaf)
    await mkdir(dirname(target), {recursive: true})
    await rename(leaf, target)
    moved.push({index: run.campaign.step ?? 1, leaf: relativeLeaf, movedTo: relative(resultsDir, target), status: run.status ?? 'unknown', movedAt: new Date().toISOString()})
  }
  return moved
}

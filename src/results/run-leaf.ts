import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'

export interface LeafLocation {
  resultsDir: string
  division: 'closed' | 'open'
  organization: string
  systemName: string
  /** the benchmark's results folder, as the rules spell it */
  benchmarkFolder: string
  /** the workload's folders below it: the model, or a nested path */
  modelPath: string[]
  /** the command folder (run, datagen, ...); absent where the rules give none (<folder>/<model>/<ts>) */
  command?: string
}

/** `YYYYMMDD_HHMMSS` in local time, the rules' run folder name. */
export function timestampName(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
}

/** The folder that holds a command's run leaves (rules.md §2.1). */
export function commandDir(location: LeafLocation): string {
  return join(
    location.resultsDir, location.division, location.organization, 'results', location.systemName,
    location.benchmarkFolder, ...location.modelPath, ...(location.command ? [location.command] : []),
  )
}

/**
 * Create a run leaf that no other run owns. The leaf is named after its
 * start second; when that name is taken (two runs in the same second, on
 * this host or another sharing the results dir) the next free second is
 * used, because `mkdir` without `recursive` fails atomically on a taken name
 * and the canonical layout only admits timestamp names.
 */
export async function createRunLeaf(location: LeafLocation, startedAt: Date): Promise<string> {
  const parent = commandDir(location)
  await mkdir(parent, {recursive: true})
  for (let offset = 0; offset < 3600; offset++) {
    const leaf = join(parent, timestampName(new Date(startedAt.getTime() + offset * 1000)))
    try {
      await mkdir(leaf)
      return leaf
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(`${parent}: no free run folder name within an hour of ${startedAt.toISOString()}`)
}

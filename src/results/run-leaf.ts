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

/** Suffixes tried after the bare name: more runs than this starting in one second into one folder is no real use. */
const MAX_SAME_SECOND = 1000

/**
 * Create a run leaf that no other run owns. The leaf is named after its
 * start second; when that name is taken (two runs in the same second, on
 * this host or another sharing the results dir) a suffix is added
 * (`_2`, `_3`, ...), so the name keeps the real second and names sort in
 * the order the runs started. `mkdir` without `recursive` fails atomically
 * on a taken name, so of two runs exactly one gets each name.
 */
export async function createRunLeaf(location: LeafLocation, startedAt: Date): Promise<string> {
  const parent = commandDir(location)
  await mkdir(parent, {recursive: true})
  const base = timestampName(startedAt)
  for (let count = 1; count <= MAX_SAME_SECOND; count++) {
    const leaf = join(parent, count === 1 ? base : `${base}_${count}`)
    try {
      await mkdir(leaf)
      return leaf
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(`${parent}: ${MAX_SAME_SECOND} runs already started at ${base}; no free run folder name`)
}

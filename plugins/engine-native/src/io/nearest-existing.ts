import {stat} from 'node:fs/promises'
import {dirname} from 'node:path'

/** The path itself or its closest ancestor that exists: where a folder about to be created will live. */
export async function nearestExisting(path: string): Promise<string> {
  for (let probe = path; ; probe = dirname(probe)) {
    try {
      await stat(probe)
      return probe
    } catch {
      if (dirname(probe) === probe) return probe
    }
  }
}

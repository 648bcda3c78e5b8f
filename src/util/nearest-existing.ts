import {stat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

/** The path itself or its closest ancestor that exists (a file or a folder): where something about to be created will live. */
export async function nearestExisting(path: string): Promise<string> {
  for (let probe = resolve(path); ; probe = dirname(probe)) {
    try {
      await stat(probe)
      return probe
    } catch {
      if (dirname(probe) === probe) return probe
    }
  }
}

import {stat} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

/** `path` if it is a folder, else its nearest ancestor that exists and is one; undefined when none is (a file in the way). */
export async function nearestExistingDir(path: string): Promise<string | undefined> {
  let current = resolve(path)
  for (;;) {
    try {
      return (await stat(current)).isDirectory() ? current : undefined
    } catch {
      const parent = dirname(current)
      if (parent === current) return undefined
      current = parent
    }
  }
}

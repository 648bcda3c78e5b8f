import {readdirSync} from 'node:fs'
import {join} from 'node:path'

/** Every regular file below `dir`, as full paths; none for a dir that was never made (a run that wrote nothing there). */
export function filesUnder(dir: string): string[] {
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch {
    return []
  }
  return entries.flatMap(entry => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : []
  })
}

import {type Dirent, readdirSync} from 'node:fs'
import {join} from 'node:path'

/**
 * Every entry below `dir` that is not a directory and that `keep` takes (any, by default), as full paths;
 * none for a dir that was never made (a run that wrote nothing there).
 */
export function entriesUnder(dir: string, keep: (entry: Dirent) => boolean = () => true): string[] {
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch {
    return []
  }
  return entries.flatMap(entry => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? entriesUnder(path, keep) : keep(entry) ? [path] : []
  })
}

/** Every regular file below `dir`, as full paths. */
export function filesUnder(dir: string): string[] {
  return entriesUnder(dir, entry => entry.isFile())
}

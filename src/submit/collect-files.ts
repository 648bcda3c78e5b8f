import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

/** mlps's private state inside a results dir: never handed in */
export const PRIVATE_FOLDER = '.mlps'

/** Editor, OS and tool leftovers: what no one means to hand in. */
const JUNK = /^(\.DS_Store|\._.*|~\$.*|Thumbs\.db|desktop\.ini|\.#.*|#.*#|.*~|.*\.sw[op]|\..*\.[0-9a-f]{12}\.tmp|__pycache__|.*\.pyc)$/

export interface TreeFile {
  /** relative to the root, '/'-separated */
  path: string
  absolute: string
  size: number
  executable: boolean
}

export interface CollectedTree {
  files: TreeFile[]
  /** relative paths of folders holding no file at any depth */
  emptyFolders: string[]
  /** junk and hidden entries left out (a folder counts once) */
  leftOut: Array<{path: string; reason: string}>
}

/** Every file that would be handed in, sorted by path (byte order), and what is left out and why. */
export async function collectTree(root: string): Promise<CollectedTree> {
  const collected: CollectedTree = {files: [], emptyFolders: [], leftOut: []}
  await walk(root, '', collected)
  collected.files.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  collected.emptyFolders.sort()
  collected.leftOut.sort((a, b) => a.path < b.path ? -1 : 1)
  return collected
}

/** @returns how many files the folder holds at any depth */
async function walk(absolute: string, relative: string, collected: CollectedTree): Promise<number> {
  const entries = await readdir(absolute, {withFileTypes: true})
  const counts = await Promise.all(entries.map(async entry => {
    const path = relative ? `${relative}/${entry.name}` : entry.name
    const full = join(absolute, entry.name)
    if (relative === '' && entry.name === PRIVATE_FOLDER) return 0
    if (JUNK.test(entry.name)) {
      collected.leftOut.push({path, reason: 'an editor, OS or tool leftover'})
      return 0
    }
    if (entry.name.startsWith('.')) {
      collected.leftOut.push({path, reason: 'a hidden file or folder'})
      return 0
    }
    if (entry.isDirectory()) {
      const inside = await walk(full, path, collected)
      if (inside === 0) collected.emptyFolders.push(path)
      return inside
    }
    if (entry.isFile()) {
      const info = await stat(full)
      collected.files.push({path, absolute: full, size: info.size, executable: (info.mode & 0o111) !== 0})
      return 1
    }
    collected.leftOut.push({path, reason: entry.isSymbolicLink() ? 'a symbolic link (copy the file it points at instead)' : 'not a regular file'})
    return 0
  }))
  return counts.reduce((sum, count) => sum + count, 0)
}

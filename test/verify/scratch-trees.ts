import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface ScratchTrees {
  /** the valid tree, written once before the suite's tests */
  valid(): string
  /** a fresh copy of the valid tree, changed by `change`; removed after the suite */
  copy(change?: (root: string) => void): string
}

/**
 * A valid results tree written once for the enclosing `describe` and fresh
 * copies of it for each test to break, all removed after the suite: the
 * scaffolding every mutation test shares. Call it inside a `describe`.
 */
export function useScratchTrees(writeValid: (root: string) => void | Promise<void>): ScratchTrees {
  let valid: string | undefined
  const scratch: string[] = []
  before(async () => {
    valid = mkdtempSync(join(tmpdir(), 'mlps-valid-'))
    await writeValid(valid)
  })
  after(() => {
    for (const dir of [valid, ...scratch]) if (dir) rmSync(dir, {recursive: true, force: true})
  })
  const written = () => {
    if (!valid) throw new Error('the valid tree is written in the suite\'s before hook; use it inside a test')
    return valid
  }
  return {
    valid: written,
    copy(change) {
      const root = mkdtempSync(join(tmpdir(), 'mlps-mutant-'))
      scratch.push(root)
      cpSync(written(), root, {recursive: true})
      change?.(root)
      return root
    },
  }
}

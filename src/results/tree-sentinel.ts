import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {z} from 'zod'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {PORTABLE_NAME} from './portable-name.js'

export const TREE_SENTINEL_SCHEMA_VERSION = 1

/** mlps's private state inside a results dir; never part of the counted tree (the tree loader skips dot-folders). */
export const PRIVATE_STATE_DIR = '.mlps'

/**
 * The sentinel `mlps init <organization>` writes: it says which organization
 * owns the tree, so later commands take the name from it instead of a default.
 */
export const TreeSentinelSchema = z.object({
  schemaVersion: z.literal(TREE_SENTINEL_SCHEMA_VERSION),
  organization: z.string().regex(PORTABLE_NAME, 'must use only the characters A-Z a-z 0-9 . _ -'),
  createdAt: z.string().min(1),
  createdBy: z.object({mlps: z.string().min(1)}),
})
export type TreeSentinel = z.infer<typeof TreeSentinelSchema>

export function treeSentinelPath(resultsDir: string): string {
  return join(resultsDir, PRIVATE_STATE_DIR, 'tree.json')
}

/**
 * The results dir's sentinel, or undefined when the dir was never initialised.
 * A sentinel that exists but cannot be read or does not match the schema is
 * bad input (exit 2) naming the file, never treated as absent.
 */
export async function readTreeSentinel(resultsDir: string): Promise<TreeSentinel | undefined> {
  const file = treeSentinelPath(resultsDir)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // the results dir itself is a file: the command's filesystem error names it, not the sentinel
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw error
    throw new MlpsError(`cannot read the results tree's sentinel: ${(error as Error).message}`, {where: file, exitCode: ExitCode.BadInput, fix: 'make the file readable, or remove it and run `mlps init <organization>` again'})
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new MlpsError(`the results tree's sentinel is not JSON: ${(error as Error).message}`, {where: file, fix: 'remove it and run `mlps init <organization>` again'})
  }
  const parsed = TreeSentinelSchema.safeParse(value)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ')
    throw new MlpsError(`the results tree's sentinel is not valid: ${problems}`, {where: file, fix: 'remove it and run `mlps init <organization>` again'})
  }
  return parsed.data
}

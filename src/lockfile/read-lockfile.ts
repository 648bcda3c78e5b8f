import {readFile} from 'node:fs/promises'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {type Lockfile, LockfileSchema} from './lockfile-schema.js'

/** Read and validate a lockfile; every problem names the file and the fix. */
export async function readLockfile(path: string, where = '--lockfile'): Promise<Lockfile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new MlpsError(`cannot read the lockfile ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      where, exitCode: ExitCode.BadInput, fix: 'generate one with `mlps lockfile generate`, or give the path of an existing mlps-lock.json',
    })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new MlpsError(`${path} is not JSON: ${(error as Error).message}`, {where, fix: 'regenerate it with `mlps lockfile generate`'})
  }
  const parsed = LockfileSchema.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')
    throw new MlpsError(`${path} is not an mlps lockfile: ${problems}`, {where, fix: 'regenerate it with `mlps lockfile generate`'})
  }
  return parsed.data
}

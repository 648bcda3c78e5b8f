import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'

/**
 * The POSIX portable filename characters, the set the rules allow in the
 * organization and system folder names (rules 2.1.1, 2.1.7: other characters
 * are replaced 1-for-1 by "-").
 */
export const PORTABLE_NAME = /^[A-Za-z0-9._-]+$/

/** What to name a tree folder: the name with every other character replaced by "-". */
export function portableName(name: string): string {
  return name.replaceAll(/[^A-Za-z0-9._-]/g, '-')
}

/** Why a name cannot be a results-tree folder, with what to use instead; undefined when it can. */
export function portableNameProblem(name: string): {message: string; fix: string} | undefined {
  if (name.length === 0) return {message: 'is empty', fix: 'give a name of the characters A-Z a-z 0-9 . _ -'}
  const bad = [...name].find(char => !/[A-Za-z0-9._-]/.test(char))
  if (bad !== undefined) {
    return {message: `"${name}" holds ${JSON.stringify(bad)}, which the rules do not allow in folder names (only A-Z a-z 0-9 . _ -)`,
      fix: `use "${portableName(name)}" (rule 2.1.1 replaces each other character by "-")`}
  }
  // a dot-folder is private state: the tree loader skips it, so its runs would never be counted
  if (name.startsWith('.')) return {message: `"${name}" starts with ".", and folders starting with "." are never counted in the results tree`, fix: 'drop the leading dot'}
  return undefined
}

/**
 * Stop with exit 2 when a name for a results-tree folder leaves the rules'
 * character set, naming where it came from (a flag, a config key, an env
 * variable) and the bad character.
 */
export function checkPortableName(name: string, what: string, source: string): void {
  const problem = portableNameProblem(name)
  if (problem === undefined) return
  throw new MlpsError(`the ${what} ${problem.message}`, {where: source, exitCode: ExitCode.BadInput, fix: problem.fix})
}

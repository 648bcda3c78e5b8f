import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {redactText} from '../util/redact-secrets.js'

/** The one shape of every error mlps prints under --json (docs/exit-codes.md). */
export interface ErrorReport {
  message: string
  where?: string
  fix?: string
  exitCode: number
}

/**
 * A command-line parse failure (unknown flag, bad value, a flag's own parse
 * function throwing): bad input, whatever exit code the parser chose.
 */
export class FlagParseError extends MlpsError {
  constructor(error: Error, commandId: string | undefined) {
    const message = error.message.replace(/\nSee more help with --help\s*$/, '').replaceAll(/\s*\n\t/g, ': ').trim()
    const flag = /--[a-z0-9][a-z0-9-]*/i.exec(message)?.[0]
    const command = (commandId ?? '').replaceAll(':', ' ')
    super(message, {exitCode: ExitCode.BadInput, where: flag, fix: `see \`mlps ${command}${command ? ' ' : ''}--help\` for the flags and values it takes`, cause: error})
    this.name = 'FlagParseError'
  }
}

/**
 * Which filesystem errors are the user's input (a path that names the wrong
 * kind of thing: exit 2) and which the environment's (permission, space: exit 3).
 */
const FILESYSTEM_ERRORS: Record<string, {problem: string; exitCode: ExitCode; fix: string}> = {
  ENOTDIR: {problem: 'a part of this path is a file, not a folder', exitCode: ExitCode.BadInput, fix: 'give a folder path, or move the file that stands in the way'},
  EISDIR: {problem: 'this path is a folder, not a file', exitCode: ExitCode.BadInput, fix: 'give the path of a file (inside the folder, or elsewhere)'},
  EEXIST: {problem: 'this path already exists as something else', exitCode: ExitCode.BadInput, fix: 'give a path that does not exist yet or is a folder'},
  ENOENT: {problem: 'no such file or folder', exitCode: ExitCode.BadInput, fix: 'check the path'},
  EACCES: {problem: 'permission denied', exitCode: ExitCode.EnvironmentNotReady, fix: 'give a path you may write (or read), or change its permissions'},
  EPERM: {problem: 'operation not permitted', exitCode: ExitCode.EnvironmentNotReady, fix: 'give a path you may write (or read), or change its permissions'},
  EROFS: {problem: 'the filesystem is read-only', exitCode: ExitCode.EnvironmentNotReady, fix: 'give a path on a writable filesystem'},
  ENOSPC: {problem: 'no space left on the device', exitCode: ExitCode.EnvironmentNotReady, fix: 'free space there, or give a path on a filesystem with room'},
  EDQUOT: {problem: 'disk quota exceeded', exitCode: ExitCode.EnvironmentNotReady, fix: 'free space within your quota, or give another path'},
}

/** A Node filesystem error as an MlpsError naming its path, or undefined for any other error. */
export function filesystemError(error: unknown): MlpsError | undefined {
  const {code, path, dest, syscall} = (error ?? {}) as {code?: unknown; path?: unknown; dest?: unknown; syscall?: unknown}
  if (typeof code !== 'string' || !(code in FILESYSTEM_ERRORS) || typeof path !== 'string') return undefined
  if (code === 'ENOENT' && syscall === 'mkdir') {
    // Node's recursive mkdir says ENOENT where the real cause is a parent it may not write (EROFS, EACCES)
    const cause = unwritableAncestor(path)
    if (cause) return new MlpsError(`${FILESYSTEM_ERRORS[cause.code].problem} (${cause.code} on mkdir)`, {exitCode: FILESYSTEM_ERRORS[cause.code].exitCode, where: cause.path, fix: FILESYSTEM_ERRORS[cause.code].fix, cause: error})
  }
  const known = FILESYSTEM_ERRORS[code]
  const target = code === 'ENOTDIR' ? fileInTheWay(path) : typeof dest === 'string' ? dest : path
  return new MlpsError(`${known.problem} (${code}${typeof syscall === 'string' ? ` on ${syscall}` : ''})`, {exitCode: known.exitCode, where: target, fix: known.fix, cause: error})
}

/** The nearest existing folder above a path, when it cannot be written, with the reason. */
function unwritableAncestor(path: string): {path: string; code: string} | undefined {
  for (let parent = dirname(resolve(path)); ; parent = dirname(parent)) {
    if (existsSync(parent)) {
      try {
        accessSync(parent, constants.W_OK)
        return undefined
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        return code && code in FILESYSTEM_ERRORS ? {path: parent, code} : undefined
      }
    }
    if (dirname(parent) === parent) return undefined
  }
}

/** The first part of a path that exists and is not a folder: what the user named wrongly. */
function fileInTheWay(path: string): string {
  let candidate = resolve(path)
  for (let parent = candidate; ; parent = dirname(parent)) {
    try {
      if (!statSync(parent).isDirectory()) candidate = parent
    } catch {
      // not there (yet): keep walking up
    }
    if (dirname(parent) === parent) return candidate
  }
}

/** Any error as the documented shape, with secrets redacted. */
export function errorReport(error: unknown): ErrorReport {
  const mlps = error instanceof MlpsError ? error : filesystemError(error)
  if (mlps) {
    return {message: redactText(mlps.message), where: mlps.where === undefined ? undefined : redactText(mlps.where), fix: mlps.fix === undefined ? undefined : redactText(mlps.fix), exitCode: mlps.exitCode}
  }
  const exit = (error as {oclif?: {exit?: unknown}})?.oclif?.exit
  const message = error instanceof Error ? error.message : String(error)
  return {message: redactText(message), exitCode: typeof exit === 'number' ? exit : ExitCode.RunFailed}
}

/** The same report as a person reads it: where, problem, then the fix. */
export function renderErrorReport(report: ErrorReport): string {
  const head = report.where ? `${report.where}: ${report.message}` : report.message
  return report.fix ? `${head}\n  fix: ${report.fix}` : head
}

import {REDACTED} from '../history/redact.js'
import {RUN_ID_VARIABLE, type LaunchRequest} from './launcher.js'

// names whose values never reach a record or a log (S3 keys, tokens, passwords)
const SECRET_NAME = /pass(word|wd)?|secret|token|api[-_]?key|access[-_]?key|credential|private[-_]?key/i
const NAME = /^[A-Za-z_][A-Za-z0-9_]*\*?$/

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name)
}

export interface ForwardedEnvironment {
  /** variables set on the launcher process on top of the inherited ones */
  set: Record<string, string>
  /** names every rank gets, in a stable order: mlps's own first, then the allow-list's */
  forwarded: string[]
  /** allow-listed names (or patterns) that matched nothing */
  notSet: string[]
}

/**
 * What reaches every rank: MLPS_RUN_ID, the variables mlps sets, and the allow-listed ones that are
 * set here. Only names travel in the launcher's argv (`-x NAME`, `-genvlist`), never values, so a
 * forwarded secret is not visible in `ps` or in a recorded argv.
 */
export function forwardedEnvironment(request: LaunchRequest): ForwardedEnvironment {
  const parent = request.parentEnv ?? process.env
  const set: Record<string, string> = {...request.env, [RUN_ID_VARIABLE]: request.runId}
  const forwarded = new Set(Object.keys(set))
  const notSet: string[] = []
  for (const entry of request.settings.envAllowList) {
    if (!NAME.test(entry)) continue
    const matches = entry.endsWith('*')
      ? Object.keys(parent).filter(name => name.startsWith(entry.slice(0, -1)) && parent[name] !== undefined).sort()
      : parent[entry] === undefined && set[entry] === undefined ? [] : [entry]
    if (matches.length === 0) notSet.push(entry)
    for (const name of matches) forwarded.add(name)
  }
  return {set, forwarded: [...forwarded], notSet}
}

/** Allow-list entries that are not variable names, for a clear error before anything runs. */
export function invalidAllowListEntries(allowList: readonly string[]): string[] {
  return allowList.filter(entry => !NAME.test(entry))
}

/** The environment as a run record keeps it: what mlps set plus what it forwarded, secrets masked. */
export function recordedEnvironment(set: Readonly<Record<string, string>>, forwarded: readonly string[], parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const recorded: Record<string, string> = {}
  for (const name of forwarded) {
    const value = set[name] ?? parent[name]
    if (value !== undefined) recorded[name] = isSecretName(name) ? REDACTED : value
  }
  return recorded
}

import type {CheckRow} from '../doctor/check.js'
import {compareLock, type LockDifference} from './compare-lock.js'
import {unevaluatedByHost, versionsByHost} from './lock-versions.js'
import type {Lockfile} from './lockfile-schema.js'

/** ctx.state key under which a benchmark command passes `--verify-lockfile <file>` (resolved) to preflight */
export const VERIFY_LOCKFILE_STATE = 'mlps:verify-lockfile'

/**
 * Compare the versions the checks just read with a lockfile. With
 * `onlyCheckedSources`, sources no check read this time (another engine's)
 * are left out, as a benchmark's preflight runs only its engine's checks.
 */
export function verifyAgainstLock(lock: Lockfile, rows: readonly CheckRow[], hosts: readonly string[], onlyCheckedSources: boolean): LockDifference[] {
  const sources = onlyCheckedSources ? new Set(rows.map(row => row.check)) : undefined
  return compareLock(lock, versionsByHost(rows), hosts, {sources, unevaluated: unevaluatedByHost(rows)})
}

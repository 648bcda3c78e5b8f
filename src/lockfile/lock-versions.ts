import type {CheckRow} from '../doctor/check.js'
import type {HostVersions} from './lockfile-schema.js'

/** host → source → versions, from the rows of a check run; sources and names sorted so the file diffs cleanly. */
export function versionsByHost(rows: readonly CheckRow[]): Record<string, HostVersions> {
  const hosts: Record<string, HostVersions> = {}
  for (const row of rows) {
    if (!row.versions || Object.keys(row.versions).length === 0) continue
    const host = hosts[row.host] ??= {}
    host[row.check] = Object.fromEntries(Object.entries(row.versions).sort(([a], [b]) => a.localeCompare(b)))
  }
  for (const [name, host] of Object.entries(hosts)) hosts[name] = Object.fromEntries(Object.entries(host).sort(([a], [b]) => a.localeCompare(b)))
  return hosts
}

/** host → source → why it could not be read now (the check was not evaluable there) */
export function unevaluatedByHost(rows: readonly CheckRow[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  for (const row of rows) if (row.status === 'skip' && !row.versions) (out[row.host] ??= {})[row.check] = row.detail
  return out
}

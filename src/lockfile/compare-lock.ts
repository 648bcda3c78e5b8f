import type {HostVersions, Lockfile} from './lockfile-schema.js'

export interface LockDifference {
  host: string
  /** the lockfile host it was compared with (itself, or the file's first host when the file does not name it) */
  against: string
  source: string
  name: string
  /** null: not in the lockfile */
  expected: string | null
  /** null: not on the host now */
  actual: string | null
  /** why there is no current value, when the check could not be evaluated */
  reason?: string
}

export interface CompareOptions {
  /** compare only these sources (the checks that ran for this invocation); all when absent */
  sources?: ReadonlySet<string>
  /** host → source → why it could not be read */
  unevaluated?: Record<string, Record<string, string>>
}

/**
 * Every difference between the lockfile and the current hosts. A host the
 * file names is compared with its own entry; another host with the file's
 * first host, since a lockfile pins one environment for a cluster of alike
 * hosts.
 */
export function compareLock(lock: Lockfile, current: Record<string, HostVersions>, hosts: readonly string[], options: CompareOptions = {}): LockDifference[] {
  const reference = Object.keys(lock.hosts)[0]
  const differences: LockDifference[] = []
  for (const host of hosts) {
    const against = lock.hosts[host] ? host : reference
    const expected = lock.hosts[against]
    const actual = current[host] ?? {}
    const sources = [...new Set([...Object.keys(expected), ...Object.keys(actual)])]
      .filter(source => !options.sources || options.sources.has(source)).sort()
    for (const source of sources) {
      const reason = options.unevaluated?.[host]?.[source]
      if (!actual[source] && reason) {
        differences.push({host, against, source, name: '*', expected: expected[source] ? `${Object.keys(expected[source]).length} recorded version(s)` : null, actual: null, reason})
        continue
      }
      const want = expected[source] ?? {}
      const have = actual[source] ?? {}
      for (const name of [...new Set([...Object.keys(want), ...Object.keys(have)])].sort()) {
        if (want[name] !== have[name]) differences.push({host, against, source, name, expected: want[name] ?? null, actual: have[name] ?? null})
      }
    }
  }
  return differences
}

/** One line per difference, naming the host, the source, the package and both versions. */
export function renderDifference(d: LockDifference): string {
  const where = d.host === d.against ? d.host : `${d.host} (against ${d.against})`
  if (d.reason) return `${where} ${d.source}: could not be read: ${d.reason}`
  if (d.expected === null) return `${where} ${d.source} ${d.name}: ${d.actual} is installed but not in the lockfile`
  if (d.actual === null) return `${where} ${d.source} ${d.name}: the lockfile has ${d.expected}, the host has none`
  return `${where} ${d.source} ${d.name}: the lockfile has ${d.expected}, the host has ${d.actual}`
}

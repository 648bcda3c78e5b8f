import {homedir, tmpdir} from 'node:os'
import {resolve} from 'node:path'

/** A place on the run machine and what a rewritten archive says instead. */
export interface MachinePrefix {
  prefix: string
  replacement: string
}

/**
 * The absolute paths that tell where on the run machine things were: the
 * results dir itself, the temp dir and home folders. Longest first, so the
 * results dir inside the temp dir is rewritten as the results dir.
 */
export function machinePrefixes(resultsRoot: string): MachinePrefix[] {
  const prefixes: MachinePrefix[] = [
    {prefix: resolve(resultsRoot), replacement: '<results-dir>'},
    {prefix: resolve(tmpdir()), replacement: '<tmp>'},
    {prefix: homedir(), replacement: '~'},
    {prefix: '/root', replacement: '~'},
  ]
  const unique = new Map(prefixes.filter(({prefix}) => prefix !== '/' && prefix.length > 1).map(entry => [entry.prefix, entry]))
  return [...unique.values()].sort((a, b) => b.prefix.length - a.prefix.length)
}

/** the prefix as a whole path segment: /tmp/x matches, /tmpfoo does not */
const occurrences = (prefix: string) => new RegExp(`${prefix.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[/"'\\s,;:)\\]}]|$)`, 'g')

/** Each machine path in a text, once per distinct path. */
export function findMachinePaths(text: string, prefixes: readonly MachinePrefix[]): string[] {
  const found = new Set<string>()
  for (const {prefix} of prefixes) {
    for (const match of text.matchAll(new RegExp(`${occurrences(prefix).source}[^\\s"',;)\\]}]*`, 'g'))) found.add(match[0])
  }
  return [...found].sort()
}

export function rewriteMachinePaths(text: string, prefixes: readonly MachinePrefix[]): string {
  let result = text
  for (const {prefix, replacement} of prefixes) result = result.replace(occurrences(prefix), replacement)
  return result
}

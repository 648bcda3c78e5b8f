import {createRequire} from 'node:module'
import semver from 'semver'

/**
 * The Node.js versions mlps runs on: its package.json `engines.node`, the one
 * place that range is written (npm warns against it at install, the doctor
 * holds every host to it). Read through the package's own name, so the
 * sources and the build find the same file.
 */
export function nodeRequirement(): string {
  const manifest = createRequire(import.meta.url)('mlps/package.json') as {engines?: {node?: unknown}}
  const range = manifest.engines?.node
  if (typeof range !== 'string' || semver.validRange(range) === null) throw new Error(`mlps's package.json has no valid engines.node (${JSON.stringify(range)})`)
  return range
}

/** What is wrong with running mlps on Node.js `version` (`v20.9.0`), and the fix; undefined when nothing is. */
export function nodeVersionProblem(version: string, range = nodeRequirement()): {detail: string; fix: string} | undefined {
  if (semver.valid(version) === null) return {detail: `cannot read the Node.js version "${version}"`, fix: `run mlps with a Node.js ${range}`}
  if (semver.satisfies(version, range, {includePrerelease: true})) return undefined
  const lowest = semver.minVersion(range)
  return {
    detail: `Node.js ${version} does not satisfy mlps's engines.node ${range}`,
    fix: `install Node.js ${lowest ?? range} or newer (https://nodejs.org, or nvm install ${lowest?.major ?? 'node'})`,
  }
}

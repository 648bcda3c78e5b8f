import {hostname} from 'node:os'
import type {ResolvedConfig} from '../config/load-config.js'
import {describeSource, sourceOf} from '../config/provenance.js'
import type {MlpsConfig} from '../config/schema.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Finding} from '../verify/finding.js'
import {portableName, portableNameProblem} from './portable-name.js'
import {readTreeSentinel, treeSentinelPath} from './tree-sentinel.js'

/** The organization a tree of an OPEN run keeps when nobody named one. */
export const OPEN_DEFAULT_ORGANIZATION = 'local'

/** The organization and system folders a run writes under, and what was assumed to get them. */
export interface TreeIdentity {
  organization: string
  systemName: string
  /** warnings for names mlps chose itself (OPEN only); a CLOSED run never gets one */
  findings: Finding[]
}

interface Problem {message: string; where?: string; fix: string}

/**
 * Decide the organization and system name of a run before anything runs.
 * The organization is the tree's (`mlps init`); a configured one must agree
 * with it. Without a sentinel, a configured organization is used as given.
 * Nothing is chosen silently: in CLOSED a missing name is exit 2, in OPEN
 * the default (organization "local", this host's name as the system) comes
 * with a warning finding naming it. Every problem is reported at once.
 */
export async function resolveTreeIdentity(resolved: ResolvedConfig, localHostname = hostname()): Promise<TreeIdentity> {
  const {config, sources} = resolved
  const closed = config.division === 'closed'
  const problems: Problem[] = []
  const findings: Finding[] = []
  const sentinelFile = treeSentinelPath(config.resultsDir)
  const sentinel = await readTreeSentinel(config.resultsDir)
  const sourceText = (key: string) => describeSource(sourceOf(key, sources))

  let organization = sentinel?.organization ?? config.organization
  if (sentinel && config.organization !== undefined && config.organization !== sentinel.organization) {
    problems.push({
      message: `organization "${config.organization}" (from ${sourceText('organization')}) disagrees with the results tree's "${sentinel.organization}" (${sentinelFile})`,
      where: sourceText('organization'),
      fix: `remove the organization setting (the tree's sentinel names it), or use another --results-dir for "${config.organization}"`,
    })
  }
  if (organization === undefined) {
    if (closed) {
      problems.push({
        message: `the results tree ${config.resultsDir} has no organization: it was never initialised`,
        fix: `run \`mlps init <organization> --results-dir ${config.resultsDir}\` once (organization: the submitter's name, A-Z a-z 0-9 . _ -)`,
      })
    } else {
      organization = OPEN_DEFAULT_ORGANIZATION
      findings.push({ruleId: 'mlps.tree.organization', severity: 'warn', kind: 'input',
        message: `the results tree ${config.resultsDir} was never initialised, so this OPEN run is filed under organization "${OPEN_DEFAULT_ORGANIZATION}"`,
        fix: `run \`mlps init <organization> --results-dir ${config.resultsDir}\` before the runs that should count`})
    }
  }

  let systemName = config.systemName
  if (systemName === undefined) {
    if (closed) {
      problems.push({
        message: 'no system name: a CLOSED run must name the system under test (the results/<system> folder and systems/<system>.yaml)',
        fix: 'pass --system-name <name> (or set systemName in the config, or MLPS_SYSTEM_NAME)',
      })
    } else {
      systemName = portableName(localHostname)
      const invalid = portableNameProblem(systemName)
      if (invalid) {
        problems.push({message: `no system name, and this host's name cannot stand in for it: ${invalid.message}`, fix: 'pass --system-name <name>'})
      } else {
        findings.push({ruleId: 'mlps.tree.systemName', severity: 'warn', kind: 'input',
          message: `no system name given, so this OPEN run is filed under this host's name "${systemName}"`,
          fix: 'pass --system-name <name> (or set systemName in the config, or MLPS_SYSTEM_NAME) to name the system under test'})
      }
    }
  }

  // every path that leaves a name undefined has added a problem
  if (problems.length > 0 || organization === undefined || systemName === undefined) throw identityError(problems)
  return {organization, systemName, findings}
}

function identityError(problems: Problem[]): MlpsError {
  if (problems.length === 1) {
    const [only] = problems
    return new MlpsError(only.message, {where: only.where, exitCode: ExitCode.BadInput, fix: only.fix})
  }
  const lines = problems.map(p => `  ${p.message}\n    fix: ${p.fix}`).join('\n')
  return new MlpsError(`${problems.length} problems with the results tree's names, found before starting:\n${lines}`,
    {exitCode: ExitCode.BadInput, fix: 'correct each one above'})
}

/**
 * The organization and system folders of a run whose names were resolved
 * (BenchmarkCommand puts them in the config); a context built without them
 * is refused rather than filed under made-up names.
 */
export function treeNames(config: MlpsConfig): {organization: string; systemName: string} {
  const {organization, systemName} = config
  if (organization !== undefined && systemName !== undefined) return {organization, systemName}
  throw new MlpsError(`the run has no ${organization === undefined ? 'organization' : 'system name'} to file its results under`, {
    exitCode: ExitCode.BadInput, fix: 'resolve it first with resolveTreeIdentity (mlps init <organization>, --system-name <name>)',
  })
}

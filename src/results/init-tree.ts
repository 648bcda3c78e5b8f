import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {createFileExclusively} from './atomic-write.js'
import {checkPortableName} from './portable-name.js'
import {readTreeSentinel, TREE_SENTINEL_SCHEMA_VERSION, type TreeSentinel, treeSentinelPath} from './tree-sentinel.js'

export interface InitTreeOutcome {
  sentinel: TreeSentinel
  /** the sentinel file */
  file: string
  /** false when the tree already belonged to the same organization and nothing was written */
  created: boolean
}

/**
 * Make a results dir the tree of one organization: write `.mlps/tree.json`
 * atomically. The same organization again changes nothing (the first
 * createdAt stays); another organization is exit 2, because every leaf
 * already written sits under the first one's folder.
 */
export async function initTree(resultsDir: string, organization: string, mlpsVersion: string, now = new Date()): Promise<InitTreeOutcome> {
  checkPortableName(organization, 'organization', 'the <organization> argument')
  const file = treeSentinelPath(resultsDir)
  const existing = await readTreeSentinel(resultsDir)
  if (existing) return sameOrganization(existing, organization, file)
  const sentinel: TreeSentinel = {schemaVersion: TREE_SENTINEL_SCHEMA_VERSION, organization, createdAt: now.toISOString(), createdBy: {mlps: mlpsVersion}}
  if (await createFileExclusively(file, JSON.stringify(sentinel, null, 2) + '\n')) return {sentinel, file, created: true}
  // another init won the race between the read and the write: its sentinel is the tree's
  return sameOrganization((await readTreeSentinel(resultsDir))!, organization, file)
}

function sameOrganization(existing: TreeSentinel, organization: string, file: string): InitTreeOutcome {
  if (existing.organization === organization) return {sentinel: existing, file, created: false}
  throw new MlpsError(`the results tree already belongs to organization "${existing.organization}" (initialised ${existing.createdAt}), not "${organization}"`, {
    where: file, exitCode: ExitCode.BadInput,
    fix: `use another --results-dir for "${organization}", or run \`mlps init ${existing.organization}\` to keep this tree's organization (names are case-sensitive)`,
  })
}


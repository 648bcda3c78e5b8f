import {readTreeSentinel, treeSentinelPath} from '../results/tree-sentinel.js'

/** Whose tree it is, from the sentinel `mlps init` wrote; a tree never initialised says so. */
export type TreeOrigin =
  | {initialized: true; organization: string; createdAt: string; createdBy: {mlps: string}; sentinel: string}
  | {initialized: false; sentinel: string}

export async function treeOrigin(resultsDir: string): Promise<TreeOrigin> {
  const sentinel = treeSentinelPath(resultsDir)
  const read = await readTreeSentinel(resultsDir)
  return read
    ? {initialized: true, organization: read.organization, createdAt: read.createdAt, createdBy: read.createdBy, sentinel}
    : {initialized: false, sentinel}
}

export function describeOrigin(origin: TreeOrigin, resultsDir: string): string {
  return origin.initialized
    ? `results tree of organization ${origin.organization} (mlps init, ${origin.createdAt.slice(0, 10)})`
    : `results tree never initialised (no ${origin.sentinel}): CLOSED runs into it need \`mlps init <organization> --results-dir ${resultsDir}\` first`
}

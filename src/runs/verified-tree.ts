import type {MlpsCommand} from '../command/mlps-command.js'
import {parseRuleOptions, resolveEdition} from '../commands/verify.js'
import {MlpsError} from '../errors.js'
import {getRegistry} from '../registry/load-registry.js'
import {type VerificationReport, verifyTree} from '../verify/evaluate.js'
import type {LoadedTree} from '../verify/loaded-run.js'
import type {ResultsCatalogue} from '../verify/results-catalogue.js'
import {loadResultsTree} from '../verify/tree-loader.js'

export interface VerifiedTree {
  tree: LoadedTree
  report: VerificationReport
  catalogue: ResultsCatalogue
}

/** A results tree loaded and judged by the chosen edition, as the runs commands show it. */
export async function verifiedTree(command: MlpsCommand, resultsDir: string, flags: {edition?: string; option?: string[]; config?: string}): Promise<VerifiedTree> {
  const edition = await resolveEdition(command, flags.edition, flags.config)
  const options = parseRuleOptions(edition, flags.option)
  const catalogue = (await getRegistry(command.config)).results()
  const tree = await loadResultsTree(resultsDir, catalogue)
  if (tree.runs.length === 0) throw new MlpsError('no run leaves in it', {where: resultsDir, fix: 'point at the results tree the runs were written to (--results-dir of the run)'})
  return {tree, report: verifyTree(tree, edition, options), catalogue}
}

import {relative} from 'node:path'
import {Args, Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {MlpsError} from '../../errors.js'
import {getRegistry} from '../../registry/load-registry.js'
import {type CampaignNeed, campaignsNeeding} from '../../runs/campaign-records.js'
import {removeLeaves, type Removal} from '../../runs/remove-leaves.js'
import {resolveLeaf, resultsRootOf} from '../../runs/results-root.js'
import {loadResultsTree} from '../../verify/tree-loader.js'

export default class RunsRemove extends MlpsCommand {
  static summary = 'Move run leaves out of the counted tree into .mlps/trash/ (nothing is deleted without --purge)'
  static description = 'A leaf a campaign still needs (its record in .mlps/campaigns/ names it as a step) is refused unless --force. Restore a leaf by moving it back from .mlps/trash/<time>-<id>/, where it keeps its path.'
  static examples = ['<%= config.bin %> runs remove mlps-results/open/acme/results/sut1/training/unet3d/run/20261201_120000', '<%= config.bin %> runs remove <leaf> --purge']
  static strict = false
  static args = {leaf: Args.string({description: 'run leaves to remove (absolute, or relative to the results dir)', required: true})}
  static flags = {
    'results-dir': Flags.string({description: 'the results tree the leaves are in (default: the folder above their division folder)'}),
    purge: Flags.boolean({description: 'delete the leaves instead of moving them to the trash'}),
    force: Flags.boolean({description: 'remove leaves campaigns still need'}),
  }

  async run(): Promise<Removal & {resultsDir: string; campaigns: CampaignNeed[]}> {
    const {argv, flags} = await this.parse(RunsRemove)
    const catalogue = (await getRegistry(this.config)).results()
    const leaves = await Promise.all((argv as string[]).map(path => resolveLeaf(path, flags['results-dir'], 'LEAF')))
    const roots = new Set(leaves.map(leaf => flags['results-dir'] ?? resultsRootOf(leaf)))
    if (roots.has(undefined)) throw new MlpsError(`${leaves.find(leaf => !resultsRootOf(leaf))} is not inside a results tree (<dir>/<closed|open>/<org>/results/...)`, {where: 'LEAF', fix: 'pass --results-dir, or a leaf of the tree mlps writes'})
    if (roots.size > 1) throw new MlpsError(`the leaves are in ${roots.size} results trees`, {where: 'LEAF', fix: 'remove the leaves of one tree at a time'})
    const root = [...roots][0]!
    const relatives: string[] = []
    for (const leaf of leaves) {
      const below = relative(root, leaf)
      const tree = await loadResultsTree(leaf, catalogue)
      if (below.startsWith('..') || below === '' || tree.runs.length !== 1 || tree.runs[0].path !== '.') {
        throw new MlpsError(`${below.startsWith('..') ? leaf : below} is not a run leaf of ${root}`, {where: 'LEAF', fix: 'pass run leaves (mlps runs list shows them); a workload folder is removed leaf by leaf'})
      }
      relatives.push(below)
    }
    const campaigns = (await Promise.all(relatives.map(leaf => campaignsNeeding(root, leaf)))).flat()
    if (campaigns.length > 0 && !flags.force) {
      const lines = campaigns.map(need => need.unreadable
        ? `${need.file} cannot be read (${need.unreadable}), so whether it needs the leaves is unknown`
        : `campaign ${need.campaign} (${need.status}) needs it: step ${need.step!.index} (${need.step!.role}), ${need.file}`)
      throw new MlpsError(`refused: ${lines.join('; ')}`, {where: 'LEAF', fix: 'let the campaign finish or rerun it, or pass --force to remove the leaves anyway (the campaign will miss them)'})
    }
    const removal = await removeLeaves(root, relatives, {purge: flags.purge, note: {forced: campaigns.length > 0, campaigns: campaigns.map(need => need.campaign)}})
    if (!this.jsonEnabled()) this.say(flags.purge ? `deleted ${relatives.length} leaf folder(s)` : `moved ${relatives.length} leaf folder(s) to ${relative(process.cwd(), removal.trash!) || removal.trash}`)
    return {...removal, resultsDir: root, campaigns}
  }
}

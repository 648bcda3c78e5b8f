import {Args} from '@oclif/core'
import {MlpsCommand} from '../command/mlps-command.js'
import {loadConfig} from '../config/load-config.js'
import {MlpsError} from '../errors.js'
import {getRegistry} from '../registry/load-registry.js'
import {campaignGaps} from '../status/campaign-gaps.js'
import {readiness, type StatusReport} from '../status/readiness.js'
import {describeOrigin, treeOrigin, type TreeOrigin} from '../status/tree-origin.js'
import {paint} from '../ux/color.js'
import {verifyTree} from '../verify/evaluate.js'
import {loadResultsTree} from '../verify/tree-loader.js'
import {editionFlag, optionFlag, parseRuleOptions, resolveEdition} from './verify.js'

export default class Status extends MlpsCommand {
  static summary = 'What a results tree still needs before verify would call it CLOSED, and what is done'
  static description = 'Per system and workload: runs still to make ("unet3d h100: 3 of 6 runs"), invocations missing (a workload none of whose leaves is left, from the records of the campaigns that made them), fields of the system description to fill, files a rule needs (fs_separation.json), and what keeps results OPEN; first the organization of the tree from the sentinel `mlps init` wrote (.mlps/tree.json), or that the tree was never initialised. Exit 0 whether or not something is missing; --json gives "ready" for scripts.'
  static examples = ['<%= config.bin %> status', '<%= config.bin %> status ./submission --json']
  static args = {'results-dir': Args.string({description: 'the results tree (default: resultsDir from the config)'})}
  static flags = {edition: editionFlag, option: optionFlag}

  async run(): Promise<StatusReport & {tree: TreeOrigin}> {
    const {args, flags} = await this.parse(Status)
    const resultsDir = args['results-dir'] ?? (await loadConfig({configFile: flags.config})).config.resultsDir
    const edition = await resolveEdition(this, flags.edition, flags.config)
    const options = parseRuleOptions(edition, flags.option)
    const origin = await treeOrigin(resultsDir)
    const tree = await loadResultsTree(resultsDir, (await getRegistry(this.config)).results())
    if (tree.runs.length === 0 && tree.systems.length === 0) {
      throw new MlpsError('no runs and no system description in it yet', {where: resultsDir, fix: 'run a benchmark into it (--results-dir), or point at the results tree'})
    }
    const status = readiness(tree, verifyTree(tree, edition, options), edition, await campaignGaps(resultsDir, tree))
    if (!this.jsonEnabled()) this.say(`${describeOrigin(origin, resultsDir)}\n\n${renderStatus(status)}`)
    return {...status, tree: origin}
  }
}

const MARK = {missing: '✗', unchecked: '?', open: '~'} as const

function renderStatus(status: StatusReport): string {
  const systems = [...new Set([...status.items, ...status.done].map(entry => entry.system ?? ''))].sort((a, b) => (a === '') === (b === '') ? a.localeCompare(b) : a === '' ? 1 : -1)
  const lines: string[] = []
  for (const system of systems) {
    lines.push(system === '' ? 'submission' : system)
    for (const item of status.items.filter(entry => (entry.system ?? '') === system)) {
      const text = `  ${MARK[item.kind]} ${item.subject === 'submission' ? '' : `${item.subject}: `}${item.line}`
      lines.push(item.kind === 'missing' ? paint('red', text) : item.kind === 'unchecked' ? paint('yellow', text) : text)
    }
    for (const done of status.done.filter(entry => (entry.system ?? '') === system)) lines.push(paint('green', `  ✓ ${done.subject}: ${done.line}${done.category ? ` (${done.category})` : ''}`))
  }
  const missing = status.items.filter(item => item.kind === 'missing').length
  lines.push('', missing === 0
    ? paint('green', `ready: nothing missing (edition ${status.edition}; verify says ${status.category})`)
    : paint('red', `${missing} thing${missing === 1 ? '' : 's'} missing before verify (edition ${status.edition}) would accept the tree; it says ${status.category} now`))
  return lines.join('\n')
}

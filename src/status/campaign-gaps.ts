import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {readCampaignRecords} from '../campaign/campaign-record.js'
import type {LoadedTree} from '../verify/loaded-run.js'
import type {StatusItem} from './readiness.js'

/**
 * Steps a campaign completed whose leaves are no longer in the counted tree, where no run of their
 * workload is left either: verify then sees no group, so no rule can say that anything is missing,
 * and only the campaign's record still knows (a workload whose group remains is judged by its rules).
 */
export async function campaignGaps(resultsDir: string, tree: LoadedTree): Promise<StatusItem[]> {
  const groups = tree.groups.map(group => `${group.path}/`)
  const {records} = await readCampaignRecords(resultsDir)
  return records.flatMap(record => record.steps
    .filter(step => step.status === 'COMPLETED' && step.leaf !== undefined)
    .filter(step => !existsSync(join(resultsDir, step.leaf!)) && !groups.some(group => step.leaf!.startsWith(group)))
    .map(step => ({
      kind: 'missing' as const,
      system: `${record.division}/${record.organization}/${record.systemName}`,
      subject: [record.benchmark, record.model, record.accelerator].filter(Boolean).join(' '),
      path: dirname(step.leaf!),
      line: `${step.label} missing: campaign ${record.id} made ${step.leaf}, which is no longer in the tree`,
      rules: [],
      findings: 0,
    })))
}

import assert from 'node:assert/strict'
import {renameSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {editionV3} from '@mlps/plugin-rules-v3'
import {verifyTree} from '../../../src/verify/evaluate.js'
import {loadResultsTree} from '../../../src/verify/tree-loader.js'
import {KV_LEAF, writeValidKvTree} from '../../../test/verify/kvcache-tree.js'
import {describeMutations, type Mutation} from '../../../test/verify/mutation-harness.js'
import {edit} from '../../../test/verify/valid-tree.js'
import {firstPartyCatalogue} from '../../../test/helpers/results-catalogue.js'

const record = (change: (value: any) => void) => (root: string) => edit(root, `${KV_LEAF}/metadata.json`, change)
const summary = (change: (value: any) => void) => (root: string) => edit(root, `${KV_LEAF}/summary.json`, change)

const MUTATIONS: Record<string, Mutation> = {
  'the summary saved as kvcache_run_summary_<ts>.json': {rule: '2.1.27 kvcacheSummaryFile', becomes: 'INVALID', change: root => {
    renameSync(join(root, KV_LEAF, 'summary.json'), join(root, KV_LEAF, 'kvcache_run_summary_20261123_010934.json'))
  }},
  'option 3 left out': {rule: '6.3.1 kvcacheThreeOptions', becomes: 'INVALID', change: summary(value => {
    delete value.options['3']
  })},
  'option 1 with 10 users': {rule: '6.3.1.1 kvcacheClosedOptionParameters', becomes: 'INVALID', change: record(value => {
    value.parameters.effective.passes[0].params.numUsers = 10
  })},
  'autoscaling on': {rule: '6.3.1.1 kvcacheClosedOptionParameters', becomes: 'INVALID', change: record(value => {
    for (const pass of value.parameters.effective.passes) pass.params.enableAutoscaling = true
  })},
  'two trials per option': {rule: '6.3.2 kvcacheTrialsPerOption', becomes: 'INVALID', change: summary(value => {
    value.trials_per_option = 2
    for (const option of Object.values<any>(value.options)) option.trial_count = 2
  })},
  'seed 7': {rule: '6.3.2 kvcacheSeed', becomes: 'INVALID', change: record(value => {
    value.parameters.effective.seedBase = 7
  })},
  '20 s between options (the tool default)': {rule: '6.3.2.1 kvcacheInterOptionDelay', becomes: 'INVALID', change: record(value => {
    value.parameters.effective.interOptionDelaySeconds = 20
  })},
  'a rank result missing': {rule: '6.3.3 kvcacheRankCompleteness', becomes: 'INVALID', change: root => rmSync(join(root, KV_LEAF, 'option_2/trial_1/rank_1'), {recursive: true})},
  'an option marked a partial failure': {rule: '6.3.3 kvcacheRankCompleteness', becomes: 'INVALID', change: summary(value => {
    value.options['3'].partial_failure = true
  })},
  'an option served entirely from the CPU tier': {rule: '6.3.4.4 kvcacheCpuTierRanks', becomes: 'OPEN', change: summary(value => {
    value.options['2'].cpu_tier_ranks = [0, 1, 2].flatMap(trial => [0, 1].map(rank => `trial ${trial} rank ${rank}`))
  })},
  'a workload flag given': {rule: '6.6.1 kvcacheClosedParameters', becomes: 'INVALID', change: record(value => {
    value.parameters.userOverrides.numUsers = 4
  })},
  'no cache folder (the cache inside the results)': {rule: '6.4.1 kvcacheCacheDirOutsideResults', becomes: 'INVALID', change: record(value => {
    delete value.parameters.effective.cacheDir
    delete value.parameters.toolInjected.cacheDir
  })},
}

describeMutations('rules-v3 KV-cache mutation tests (CLOSED tree derived from a real native run)', writeValidKvTree, MUTATIONS, copy => {
  it('the round as published (3.0) only warns about a 20 s inter-option delay (its tool defaulted to it)', async () => {
    const report = verifyTree(await loadResultsTree(copy(MUTATIONS['20 s between options (the tool default)']), await firstPartyCatalogue()), editionV3)
    assert.equal(report.category, 'CLOSED')
    assert.ok(report.findings.some(finding => finding.ruleId === '6.3.2.1 kvcacheInterOptionDelay' && finding.severity === 'warn'))
  })

  it('a seed the run did not record is not evaluable, never a pass', async () => {
    const report = verifyTree(await loadResultsTree(copy({rule: '', becomes: 'INVALID', change: record(value => {
      delete value.parameters.effective.seedBase
      delete value.parameters.toolInjected.seedBase
    })}), await firstPartyCatalogue()), editionV3)
    assert.ok(report.findings.some(finding => finding.ruleId === '6.3.2 kvcacheSeed' && finding.notEvaluable))
  })
})

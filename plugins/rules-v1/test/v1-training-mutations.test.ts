import assert from 'node:assert/strict'
import {cpSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {register} from '@mlps/plugin-rules-v1'
import type {Finding, RulesEdition} from 'mlps'
import {verifyTree} from '../../../src/verify/evaluate.js'
import {loadResultsTree} from '../../../src/verify/tree-loader.js'
import {edit} from '../../../test/verify/valid-tree.js'
import {firstPartyCatalogue} from '../../../test/helpers/results-catalogue.js'
import {useScratchTrees} from '../../../test/verify/scratch-trees.js'

// Mutation tests of the v1.0 edition on a real published v1.0 result: Hammerspace's unet3d on one
// client with 7 simulated A100s (fixtures/storage_results_v1.0, run1..run5 and the datagen configs).
const V1 = join(import.meta.dirname, '../../../fixtures/storage_results_v1.0')
const GROUP = 'Closed/Hammerspace/results/Hammerspace_unet3d_1Client_A100'
const V1_RULES = ['v1 trainingFiveRuns', 'v1 trainingAuSuccess', 'v1 trainingIdenticalRuns']

interface V1Mutation {
  rule: string
  change(root: string): void
  /** what the finding says */
  message: RegExp
}

const MUTATIONS: Record<string, V1Mutation> = {
  'a run missing': {rule: 'v1 trainingFiveRuns', change: root => rmSync(join(root, GROUP, 'run5'), {recursive: true}), message: /: 4 training runs found, v1\.0 requires exactly 5$/},
  'a sixth run': {rule: 'v1 trainingFiveRuns', change: root => cpSync(join(root, GROUP, 'run5'), join(root, GROUP, 'run6'), {recursive: true}), message: /: 6 training runs found/},
  'a run below the AU threshold': {rule: 'v1 trainingAuSuccess', change: root => edit(root, `${GROUP}/run3/summary.json`, summary => {
    summary.metric.train_au_meet_expectation = 'fail'
    summary.metric.train_au_mean_percentage = 71.5
  }), message: /run3\/summary\.json: AU 71\.50 % did not meet the expectation \("fail"\)$/},
  'a run over another file count': {rule: 'v1 trainingIdenticalRuns', change: root => edit(root, `${GROUP}/run2/summary.json`, summary => {
    summary.num_files_train = 20_000
  }), message: /: num_files_train differs across runs \(24500, 20000\)$/},
  'a run with fewer accelerators': {rule: 'v1 trainingIdenticalRuns', change: root => edit(root, `${GROUP}/run4/summary.json`, summary => {
    summary.num_accelerators = 6
  }), message: /: num_accelerators differs across runs \(7, 6\)$/},
}

const ofV1Rules = (findings: Finding[]) => findings.filter(finding => V1_RULES.includes(finding.ruleId))

describe('rules-v1 mutation tests (the real v1.0 result Hammerspace_unet3d_1Client_A100)', () => {
  let edition: RulesEdition
  before(async () => {
    edition = (await register()).rulesEditions!.find(candidate => candidate.name === '1.0')!
  })
  const {valid, copy} = useScratchTrees(root => cpSync(join(V1, GROUP), join(root, GROUP), {recursive: true}))

  it('as published it is CLOSED under 1.0: five runs, every AU a success, one workload, nothing not evaluable', async () => {
    const report = verifyTree(await loadResultsTree(valid(), await firstPartyCatalogue()), edition)
    assert.deepEqual(ofV1Rules(report.findings), [])
    assert.equal(report.category, 'CLOSED')
    assert.equal(report.evaluations.notEvaluable, 0)
    assert.deepEqual(report.groups.map(group => [group.path, group.category]), [[GROUP, 'CLOSED']])
  })

  for (const [name, mutation] of Object.entries(MUTATIONS)) {
    it(`${name}: INVALID under 1.0, naming ${mutation.rule}`, async () => {
      const report = verifyTree(await loadResultsTree(copy(mutation.change), await firstPartyCatalogue()), edition)
      const findings = ofV1Rules(report.findings)
      assert.deepEqual(findings.map(finding => [finding.ruleId, finding.severity, finding.notEvaluable ?? false]), [[mutation.rule, 'error', false]])
      assert.match(findings[0].message, mutation.message)
      assert.equal(report.category, 'INVALID')
    })
  }
})

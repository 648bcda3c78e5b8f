import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {editionV3, editionV3Corrected} from '@mlps/plugin-rules-v3'
import {verifyTree} from '../../../src/verify/evaluate.js'
import {loadResultsTree} from '../../../src/verify/tree-loader.js'
import {DATAGEN_LEAF, DATASIZE_LEAF, edit, READ_LEAF, runLeaf, TRAINING, WRITE_LEAF, writeValidTree} from '../../../test/verify/valid-tree.js'
import {firstPartyCatalogue} from '../../../test/helpers/results-catalogue.js'

interface Mutation {
  rule: string
  /** what the broken tree's category becomes under 3.0-corrected */
  becomes: 'INVALID' | 'OPEN'
  change(root: string): void
}

const lastRun = runLeaf(5)
const everyRun = (root: string, change: (value: any) => void) => {
  for (let index = 0; index < 6; index++) edit(root, `${runLeaf(index)}/metadata.json`, change)
}

const MUTATIONS: Record<string, Mutation> = {
  'a run missing': {rule: '2.1.17 trainingSixRuns', becomes: 'INVALID', change: root => rmSync(join(root, lastRun), {recursive: true})},
  'a run taken two hours later': {rule: '2.1.18 trainingConsecutiveRuns', becomes: 'INVALID', change: root => edit(root, `${lastRun}/metadata.json`, record => {
    const shift = (iso: string) => new Date(new Date(iso).getTime() + 7_200_000).toISOString()
    record.timings.startedAt = shift(record.timings.startedAt)
    record.timings.endedAt = shift(record.timings.endedAt)
  })},
  'no datagen leaf': {rule: '2.1.13 trainingOneDatagen', becomes: 'INVALID', change: root => rmSync(join(root, DATAGEN_LEAF), {recursive: true})},
  'a run below the AU threshold': {rule: '3.3.2 trainingAcceleratorUtilization', becomes: 'INVALID', change: root => edit(root, `${runLeaf(2)}/metadata.json`, record => {
    record.metrics.train_au_meet_expectation = 'fail'
  })},
  'client memory too large for the dataset': {rule: '3.1.2 trainingRecalculateDatasetSize', becomes: 'INVALID', change: root => edit(root, `${runLeaf(3)}/summary.json`, summary => {
    summary.host_memory_GB = [4096, 4096]
  })},
  'runs smaller than datasize': {rule: '3.3.1 trainingRunDataMatchesDatasize', becomes: 'INVALID', change: root => edit(root, `${DATASIZE_LEAF}/metadata.json`, record => {
    record.parameters.effective.dataset.num_files_train = 30_000
  })},
  'datagen smaller than the runs': {rule: '3.2.1 trainingDatagenMinimumSize', becomes: 'INVALID', change: root => edit(root, `${DATAGEN_LEAF}/metadata.json`, record => {
    record.parameters.effective.dataset.num_files_train = 20_000
  })},
  'accelerators not divisible by hosts': {rule: '3.3.6 trainingIdenticalAcceleratorsPerNode', becomes: 'INVALID', change: root => everyRun(root, record => {
    record.hosts.push({name: 'client3', slots: 4})
  })},
  'a forbidden override': {rule: '3.6.2 trainingClosedParameters', becomes: 'INVALID', change: root => edit(root, `${runLeaf(1)}/metadata.json`, record => {
    record.parameters.userOverrides['reader.batch_size'] = 4
  })},
  'an OPEN-only override': {rule: '3.6.2 trainingClosedParameters', becomes: 'OPEN', change: root => everyRun(root, record => {
    record.parameters.userOverrides['reader.data_loader'] = 'tensorflow'
  })},
  'dataset inside the results tree': {rule: '3.4.1 trainingPathArgs', becomes: 'INVALID', change: root => edit(root, `${runLeaf(0)}/metadata.json`, record => {
    record.parameters.effective.dataset.data_folder = join(root, 'closed', 'data')
  })},
  'dataset and results on one filesystem': {rule: '3.4.2 trainingFilesystemCheck', becomes: 'INVALID', change: root => edit(root, `${runLeaf(4)}/fs_separation.json`, document => {
    document.same_filesystem = true
  })},
  'a failed run': {rule: 'mlps.run.completed', becomes: 'INVALID', change: root => edit(root, `${runLeaf(4)}/metadata.json`, record => {
    record.status = 'FAILED'
  })},
  'an emulated engine': {rule: 'mlps.engine.closedEligible', becomes: 'OPEN', change: root => everyRun(root, record => {
    record.engine = {name: 'native', closedEligible: false}
  })},
  'not a checkpointing model': {rule: '4.3.3 checkpointModelConfiguration', becomes: 'INVALID', change: root => edit(root, `${WRITE_LEAF}/metadata.json`, record => {
    record.model = 'llama3-13b'
  })},
  'wrong CLOSED process count': {rule: '4.6.1 checkpointClosedMpiProcesses', becomes: 'INVALID', change: root => edit(root, `${READ_LEAF}/metadata.json`, record => {
    record.numProcesses = 16
    record.hosts = [{name: 'a'}, {name: 'b'}]
  })},
  // both halves of the pair: a pair run on other hosts than its other half is a finding of its own (2.1.17 groupSameParameters)
  '4 ranks per host': {rule: '4.6.2 checkpointClosedAcceleratorsPerHost', becomes: 'INVALID', change: root => {
    for (const leaf of [WRITE_LEAF, READ_LEAF]) {
      edit(root, `${leaf}/metadata.json`, record => {
        record.hosts = [{name: 'a', slots: 4}, {name: 'b', slots: 4}]
      })
    }
  }},
  'subset mode on 16 processes': {rule: '4.3.5 checkpointSubsetMode', becomes: 'INVALID', change: root => edit(root, `${WRITE_LEAF}/metadata.json`, record => {
    record.parameters.effective.checkpoint.mode = 'subset'
    record.numProcesses = 16
  })},
  'fsync off': {rule: '4.3.2 checkpointFsync', becomes: 'INVALID', change: root => edit(root, `${READ_LEAF}/metadata.json`, record => {
    record.parameters.effective.checkpoint.fsync = false
  })},
  'five reads': {rule: '4.7.1 checkpointInvocationStructure', becomes: 'INVALID', change: root => edit(root, `${READ_LEAF}/metadata.json`, record => {
    record.parameters.effective.checkpoint.num_checkpoints_read = 5
  })},
  'read a minute after the write': {rule: '4.7.1 checkpointWriteReadGap', becomes: 'INVALID', change: root => edit(root, `${READ_LEAF}/metadata.json`, record => {
    record.timings.startedAt = new Date(new Date(record.timings.startedAt).getTime() + 60_000).toISOString()
  })},
  'checkpoint larger than accelerator memory': {rule: '4.3.4 checkpointAggregateAcceleratorMemory', becomes: 'INVALID', change: root => edit(root, `${WRITE_LEAF}/metadata.json`, record => {
    record.metrics.checkpoint_size_GB = 2000
  })},
  'one training run with other reader threads': {rule: '2.1.17 groupSameParameters', becomes: 'INVALID', change: root => edit(root, `${runLeaf(3)}/metadata.json`, record => {
    record.parameters.effective.reader.read_threads = 4
  })},
  'one training run on fewer accelerators': {rule: '2.1.17 groupSameParameters', becomes: 'INVALID', change: root => edit(root, `${runLeaf(1)}/metadata.json`, record => {
    record.numProcesses = record.numProcesses / 2
  })},
  'the read half of the pair with another checkpoint interval': {rule: '2.1.17 groupSameParameters', becomes: 'INVALID', change: root => edit(root, `${READ_LEAF}/metadata.json`, record => {
    record.parameters.effective.checkpoint.time_between_checkpoints = 1
  })},
  'a changed workload value': {rule: '4.6.3 checkpointClosedParameters', becomes: 'INVALID', change: root => edit(root, `${WRITE_LEAF}/metadata.json`, record => {
    record.parameters.userOverrides['model.num_layers'] = 10
  })},
}

describe('rules-v3 mutation tests (synthetic valid v3.0 tree in the mlps layout)', () => {
  let valid: string
  const scratch: string[] = []
  before(() => {
    valid = mkdtempSync(join(tmpdir(), 'mlps-valid-tree-'))
    writeValidTree(valid)
  })
  after(() => {
    for (const dir of [valid, ...scratch]) rmSync(dir, {recursive: true, force: true})
  })

  it('the unbroken tree is CLOSED under 3.0 and 3.0-corrected, with no errors', async () => {
    const tree = await loadResultsTree(valid, await firstPartyCatalogue())
    for (const edition of [editionV3, editionV3Corrected]) {
      const report = verifyTree(tree, edition)
      const errors = report.findings.filter(finding => finding.severity === 'error')
      assert.deepEqual(errors, [], `${edition.name}: ${JSON.stringify(errors, null, 1)}`)
      assert.equal(report.category, 'CLOSED', edition.name)
      assert.deepEqual(report.groups.map(group => group.category), ['CLOSED', 'CLOSED'])
    }
  })

  for (const [name, mutation] of Object.entries(MUTATIONS)) {
    it(`${name}: ${mutation.becomes} under 3.0-corrected, naming ${mutation.rule}`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'mlps-mutant-'))
      scratch.push(root)
      cpSync(valid, root, {recursive: true})
      mutation.change(root)
      const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
      assert.equal(report.category, mutation.becomes)
      const named = report.findings.filter(finding => finding.ruleId === mutation.rule && !finding.notEvaluable)
      assert.ok(named.length > 0, `no finding of ${mutation.rule}; got ${report.findings.map(finding => finding.ruleId).join(', ')}`)
      const expectedSeverity = mutation.becomes === 'INVALID' ? 'error' : 'warn'
      assert.ok(named.some(finding => finding.severity === expectedSeverity))
    })
  }

  it('the round as published (3.0) only warns where the corrected edition fails (3.3.1, 4.3.4, the 4.7.1 gap)', async () => {
    for (const name of ['runs smaller than datasize', 'checkpoint larger than accelerator memory', 'read a minute after the write']) {
      const root = mkdtempSync(join(tmpdir(), 'mlps-mutant-'))
      scratch.push(root)
      cpSync(valid, root, {recursive: true})
      MUTATIONS[name].change(root)
      const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3)
      assert.equal(report.category, 'CLOSED', name)
      assert.ok(report.findings.some(finding => finding.ruleId === MUTATIONS[name].rule && finding.severity === 'warn'), name)
    }
  })

  it('R 4.6.2 is a configurable reading: 4 ranks per host passes with ranksPerHost=at-least-4', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-mutant-'))
    scratch.push(root)
    cpSync(valid, root, {recursive: true})
    MUTATIONS['4 ranks per host'].change(root)
    const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected, {ranksPerHost: 'at-least-4'})
    assert.equal(report.category, 'CLOSED')
  })

  it('4.3.1 (a warning, as the checker reports it) names a read without a recorded cache clear', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-mutant-'))
    scratch.push(root)
    cpSync(valid, root, {recursive: true})
    edit(root, `${READ_LEAF}/metadata.json`, record => {
      record.extra = {checkpointing: {cacheClear: {required: true, cleared: false}}}
    })
    const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
    assert.ok(report.findings.some(finding => finding.ruleId === '4.3.1 checkpointDataSizeRatio' && finding.severity === 'warn' && !finding.notEvaluable))
    assert.equal(report.category, 'CLOSED')
  })

  it('a rule with missing inputs says not evaluable instead of passing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-mutant-'))
    scratch.push(root)
    cpSync(valid, root, {recursive: true})
    rmSync(join(root, DATASIZE_LEAF), {recursive: true})
    rmSync(join(root, `${runLeaf(0)}/fs_separation.json`))
    const report = verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected)
    const notEvaluable = report.findings.filter(finding => finding.notEvaluable).map(finding => finding.ruleId)
    assert.ok(notEvaluable.includes('3.3.1 trainingRunDataMatchesDatasize'))
    assert.ok(notEvaluable.includes('3.4.2 trainingFilesystemCheck'))
    assert.ok(report.evaluations.notEvaluable >= 2)
  })

  it('the warm-up run is not counted by the v3.0 editions', async () => {
    const tree = await loadResultsTree(valid, await firstPartyCatalogue())
    const group = tree.groups.find(candidate => candidate.path === TRAINING)!
    assert.deepEqual(editionV3.countedRuns!(group).map(run => run.path), [1, 2, 3, 4, 5].map(runLeaf))
  })
})

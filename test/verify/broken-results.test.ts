import assert from 'node:assert/strict'
import {cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {RulesEdition} from '../../src/registry/definitions.js'
import register from '../../plugins/rules-v1/src/hooks/register.js'
import {editionV3Corrected} from '../../plugins/rules-v3/src/editions.js'
import {buildResultsReport} from '../../src/report/write-report.js'
import {type VerificationReport, verifyTree} from '../../src/verify/evaluate.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {useScratchTrees} from './scratch-trees.js'
import {edit, READ_LEAF, runLeaf, TRAINING, writeValidTree} from './valid-tree.js'
import {VDB_RUNS, writeValidVdbTree} from './vectordb-tree.js'

// The defects of issue 22 "Corrupted or impossible results must not pass", one test each: every one
// of these trees was CLOSED (or kept its intact findings) before, and must not be now.

const V1 = join(import.meta.dirname, '../../fixtures/storage_results_v1.0/Closed/Hammerspace')
const RESNET = 'Hammerspace_resnet50_1Client_A100'
const V1_GROUP = `Closed/Hammerspace/results/${RESNET}`
const V1_SYSTEM = `Closed/Hammerspace/systems/${RESNET}.json`

async function verify(root: string, edition: RulesEdition): Promise<VerificationReport> {
  return verifyTree(await loadResultsTree(root, await firstPartyCatalogue()), edition)
}

const errors = (report: VerificationReport) => report.findings.filter(finding => finding.severity === 'error')
const errorsAbout = (report: VerificationReport, text: string) => errors(report).filter(finding => finding.message.includes(text) || finding.evidence?.some(evidence => evidence.file === text))

describe('broken results: the published v1.0 resnet50 result (Hammerspace, 1 client, A100)', () => {
  let v1: RulesEdition
  before(async () => {
    v1 = (await register()).rulesEditions![0]
  })
  const trees = useScratchTrees(root => {
    cpSync(join(V1, 'results', RESNET), join(root, V1_GROUP), {recursive: true})
    mkdirSync(join(root, 'Closed/Hammerspace/systems'), {recursive: true})
    cpSync(join(V1, 'systems', `${RESNET}.json`), join(root, V1_SYSTEM))
  })
  const runs = (root: string) => readdirSync(join(root, V1_GROUP)).filter(name => /^run\d$/.test(name))

  it('intact it is CLOSED under 1.0 with no error', async () => {
    const report = await verify(trees.valid(), v1)
    assert.deepEqual(errors(report), [])
    assert.equal(report.category, 'CLOSED')
  })

  it('every summary.json replaced by "{": INVALID, each summary named by an error with a fix', async () => {
    const root = trees.copy(copy => runs(copy).forEach(run => writeFileSync(join(copy, V1_GROUP, run, 'summary.json'), '{')))
    const report = await verify(root, v1)
    assert.equal(report.category, 'INVALID')
    for (const run of runs(root)) {
      const named = errorsAbout(report, `${V1_GROUP}/${run}/summary.json`)
      assert.ok(named.length > 0 && named.every(finding => finding.fix), `${run}: ${JSON.stringify(errors(report))}`)
    }
  })

  it('an unparsable per_epoch_stats.json is an error naming it', async () => {
    const root = trees.copy(copy => writeFileSync(join(copy, V1_GROUP, 'run2/per_epoch_stats.json'), '{"1": {"start": '))
    const report = await verify(root, v1)
    assert.equal(report.category, 'INVALID')
    assert.ok(errorsAbout(report, `${V1_GROUP}/run2/per_epoch_stats.json`).some(finding => finding.ruleId === 'mlps.tree.unreadableFile'))
  })

  it('a deleted per_epoch_stats.json is an error naming it (v1 resultFiles)', async () => {
    const root = trees.copy(copy => rmSync(join(copy, V1_GROUP, 'run4/per_epoch_stats.json')))
    const report = await verify(root, v1)
    assert.equal(report.category, 'INVALID')
    assert.ok(errorsAbout(report, `${V1_GROUP}/run4/per_epoch_stats.json`).some(finding => finding.ruleId === 'v1 resultFiles'), JSON.stringify(errors(report)))
  })

  it('a deleted systems/<system>.json is an error (v1 systemDescription); one replaced by "{" too', async () => {
    const deleted = await verify(trees.copy(copy => rmSync(join(copy, V1_SYSTEM))), v1)
    assert.equal(deleted.category, 'INVALID')
    assert.ok(errors(deleted).some(finding => finding.ruleId === 'v1 systemDescription' && finding.message.includes(`systems/${RESNET}.json`)))
    const broken = await verify(trees.copy(copy => writeFileSync(join(copy, V1_SYSTEM), '{')), v1)
    assert.equal(broken.category, 'INVALID')
    assert.ok(errorsAbout(broken, V1_SYSTEM).some(finding => finding.ruleId === 'v1 systemDescription'))
  })

  it('AU of 1e308 % and a throughput of 1e308 are errors, and reportgen publishes neither 2e+307 samples/s nor an Infinity stdev', async () => {
    const root = trees.copy(copy => edit(copy, `${V1_GROUP}/run3/summary.json`, summary => {
      summary.metric.train_au_mean_percentage = 1e308
      summary.metric.train_throughput_mean_samples_per_second = 1e308
    }))
    const tree = await loadResultsTree(root, await firstPartyCatalogue())
    const report = verifyTree(tree, v1)
    assert.equal(report.category, 'INVALID')
    assert.ok(errors(report).some(finding => finding.ruleId === 'mlps.run.figureRange' && finding.message.includes('metric.train_au_mean_percentage = 1e+308 is a percentage above 100')))
    assert.ok(errors(report).some(finding => finding.ruleId === 'v1 trainingThroughputPossible' && finding.message.includes('train_throughput_mean_samples_per_second = 1e+308')))
    const {report: results} = buildResultsReport(tree, v1, await firstPartyCatalogue())
    const [row] = results.rows
    assert.deepEqual(Object.values(row.metrics).filter(value => value !== null), [])
    assert.match(row.missing.train_throughput_mean_samples_per_second, new RegExp(`${V1_GROUP}/run3 is not reported: mlps.run.figureRange`))
    assert.deepEqual(row.runFigures.find(figures => figures.path.endsWith('run3'))?.figures, {})
  })

  it('a negative figure is an error naming it; an overflowing one (1e999 reads as Infinity) makes the summary unreadable', async () => {
    const rewrite = (pattern: RegExp, value: string) => (copy: string) => {
      const file = join(copy, V1_GROUP, 'run1/summary.json')
      writeFileSync(file, readFileSync(file, 'utf8').replace(pattern, match => `${match.split(':')[0]}: ${value}`))
    }
    const negative = await verify(trees.copy(rewrite(/"train_io_mean_MB_per_second": [\d.e+]+/, '-1')), v1)
    assert.match(errors(negative).find(finding => finding.ruleId === 'mlps.run.figureRange')?.message ?? '', /metric\.train_io_mean_MB_per_second = -1 is negative/)
    const overflowing = await verify(trees.copy(rewrite(/"train_au_stdev_percentage": [\d.e+-]+/, '1e999')), v1)
    assert.equal(overflowing.category, 'INVALID')
    assert.match(errorsAbout(overflowing, `${V1_GROUP}/run1/summary.json`)[0]?.message ?? '', /metric\.train_au_stdev_percentage/)
  })
})

describe('broken results: the mlps layout (synthetic valid tree, per-rank files as DLIO writes them)', () => {
  const trees = useScratchTrees(writeValidTree)
  const leaf = runLeaf(2)

  for (const [name, change, named, ruleId] of [
    ['a deleted summary.json', (root: string) => rmSync(join(root, leaf, 'summary.json')), `${leaf}/summary.json`, '2.1.14 dlioResultFiles'],
    ['a deleted 1_output.json', (root: string) => rmSync(join(root, leaf, '1_output.json')), `${leaf}/1_output.json`, '2.1.14 dlioResultFiles'],
    ['a truncated 0_per_epoch_stats.json', (root: string) => writeFileSync(join(root, leaf, '0_per_epoch_stats.json'), '{"1": {"sta'), `${leaf}/0_per_epoch_stats.json`, 'mlps.tree.unreadableFile'],
    ['a zero-length 5_output.json', (root: string) => writeFileSync(join(root, leaf, '5_output.json'), ''), `${leaf}/5_output.json`, 'mlps.tree.unreadableFile'],
    ['a checkpointing leaf without its summary.json', (root: string) => rmSync(join(root, READ_LEAF, 'summary.json')), READ_LEAF, 'mlps.run.resultMissing'],
  ] as const) {
    it(`${name}: INVALID under 3.0-corrected, ${ruleId} naming it`, async () => {
      const report = await verify(trees.copy(change), editionV3Corrected)
      assert.equal(report.category, 'INVALID')
      assert.ok(errorsAbout(report, named).some(finding => finding.ruleId === ruleId), JSON.stringify(errors(report), null, 1))
    })
  }

  it('a leaf with every rank\'s per-epoch stats and no rank outputs at all (a native checkpoint-only run) lacks nothing', async () => {
    const root = trees.copy(copy => readdirSync(join(copy, READ_LEAF)).filter(name => name.endsWith('_output.json')).forEach(name => rmSync(join(copy, READ_LEAF, name))))
    const report = await verify(root, editionV3Corrected)
    assert.deepEqual(errors(report).filter(finding => finding.ruleId === '2.1.14 dlioResultFiles'), [])
  })

  it('a throughput past 100 % AU in the summary behind an intact record: 3.3.2 trainingThroughputPossible, and the row is n/a', async () => {
    const root = trees.copy(copy => edit(copy, `${leaf}/summary.json`, summary => {
      summary.metric.train_throughput_mean_samples_per_second = 5000
    }))
    const tree = await loadResultsTree(root, await firstPartyCatalogue())
    const report = verifyTree(tree, editionV3Corrected)
    assert.equal(report.category, 'INVALID')
    const [possible] = errors(report).filter(finding => finding.ruleId === '3.3.2 trainingThroughputPossible')
    assert.match(possible.message, /train_throughput_mean_samples_per_second = 5000 samples\/s is more than the 345\.679 samples\/s its 8 accelerator\(s\) × batch 7 \/ 0\.162 s of compute allow at 100 % AU/)
    assert.equal(possible.kind, 'input')
    const row = buildResultsReport(tree, editionV3Corrected, await firstPartyCatalogue()).report.rows.find(candidate => candidate.path === TRAINING)!
    assert.equal(row.metrics.train_throughput_mean_samples_per_second, null)
  })
})

describe('broken results: a vector-database run leaf (the real native workload, as CLOSED)', () => {
  const trees = useScratchTrees(writeValidVdbTree)

  it('a deleted summary.json, with statistics.json still there: 2.1.27 vdbSummaryFile', async () => {
    const report = await verify(trees.copy(root => rmSync(join(root, VDB_RUNS[1], 'summary.json'))), editionV3Corrected)
    assert.equal(report.category, 'INVALID')
    assert.ok(errorsAbout(report, `${VDB_RUNS[1]}/summary.json`).some(finding => finding.ruleId === '2.1.27 vdbSummaryFile'))
  })

  it('a truncated statistics.json beside the summary is an error naming it', async () => {
    const report = await verify(trees.copy(root => writeFileSync(join(root, VDB_RUNS[0], 'statistics.json'), '{"throughput_qps": 3')), editionV3Corrected)
    assert.equal(report.category, 'INVALID')
    assert.ok(errorsAbout(report, `${VDB_RUNS[0]}/statistics.json`).length > 0)
  })
})

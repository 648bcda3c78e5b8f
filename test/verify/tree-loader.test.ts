import assert from 'node:assert/strict'
import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import register from '../../plugins/rules-v1/src/hooks/register.js'
import {verifyTree} from '../../src/verify/evaluate.js'
import type {LoadedTree} from '../../src/verify/loaded-run.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'

const V1 = join(import.meta.dirname, '../../fixtures/storage_results_v1.0')

describe('tree loader on the real v1.0 results (fixtures/storage_results_v1.0)', () => {
  let tree: LoadedTree
  before(async () => {
    tree = await loadResultsTree(V1)
  })

  it('finds the 200 measured runs in 40 result groups, each beside its official report', () => {
    const results = tree.groups.filter(group => group.runs.length > 0)
    assert.equal(results.length, 40)
    assert.equal(results.reduce((sum, group) => sum + group.runs.length, 0), 200)
    assert.ok(results.every(group => group.officialReport), 'every result group has its mlperf_storage_report.json')
  })

  it('case-folds Closed/Open and reads organization and system from the path', () => {
    const divisions = new Set(tree.groups.filter(group => group.runs.length > 0).map(group => group.division))
    assert.deepEqual([...divisions].sort(), ['closed', 'open'])
    const volumez = tree.groups.find(group => group.organization === 'Volumez')!
    assert.equal(volumez.division, 'open')
    assert.equal(volumez.system, 'File-Direct')
  })

  it('reads every irregular run-folder spelling: runs/run1/<host>, run_1, run-1, runN', () => {
    const spelled = (pattern: RegExp) => tree.runs.filter(run => run.command === 'run' && pattern.test(run.path)).length
    assert.equal(spelled(/\/runs\/run\d$/), 60, 'DDN (host sub-folders) and Micron 9550')
    assert.equal(spelled(/\/run_\d$/), 55, 'Micron 6500/9400')
    assert.equal(spelled(/\/run-\d$/), 40, 'HPE')
    const ddn = tree.runs.find(run => run.path.endsWith('unet3d-a100/runs/run1'))!
    assert.equal(ddn.summaries.length, 1)
    assert.match(ddn.summaries[0].file, /run1\/c013\/summary\.json$/)
    assert.equal(ddn.numProcesses, 72)
    assert.equal(ddn.numHosts, 18)
  })

  it('takes model and accelerator from hydra overrides where the path does not say (Hammerspace)', () => {
    const hammerspace = tree.groups.find(group => group.path.endsWith('Hammerspace_unet3d_1Client_A100'))!
    assert.equal(hammerspace.model, 'unet3d')
    assert.equal(hammerspace.accelerator, 'a100')
    assert.equal(hammerspace.runs.length, 5)
    assert.equal(hammerspace.datagen.length, 1, 'the timestamp folder holds the datagen configs')
    assert.equal(hammerspace.runs[0].userOverrides['dataset.num_files_train'], 24500)
    assert.equal(hammerspace.runs[0].toolInjected['workflow.train'], true)
  })

  it('loads the .JSON system files and reports the one that is not valid JSON', () => {
    assert.ok(tree.systems.some(system => system.path.endsWith('Cray_C500_4xHDR200_1host.JSON') && system.format === 'json' && system.data))
    const broken = tree.problems.filter(problem => problem.ruleId === 'mlps.tree.unreadableFile')
    assert.deepEqual(broken.map(problem => problem.evidence?.[0]?.file), ['Closed/Micron/systems/Micron_6500_Gen4_High_Capacity_NVMe.json'])
  })

  it('the 1.0 edition puts every official result in its division: 39 CLOSED, Volumez OPEN', async () => {
    const edition = (await register()).rulesEditions![0]
    const report = verifyTree(tree, edition)
    const results = report.groups.filter(group => group.runs.some(run => run.command === 'run'))
    assert.deepEqual(results.filter(group => group.category !== 'CLOSED').map(group => `${group.path} ${group.category}`), ['Open/Volumez/results/File-Direct/unet3d/h100 OPEN'])
    assert.equal(report.evaluations.notEvaluable, 0)
  })
})

describe('tree loader on junk and odd shapes', () => {
  const scratch: string[] = []
  after(() => scratch.forEach(dir => rmSync(dir, {recursive: true, force: true})))

  it('reports .DS_Store, ._* and ~$* files without parsing them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-junk-'))
    scratch.push(root)
    const run = join(root, 'Closed/HPE/results/Cray_C500_4xHDR200_1host/unet3d_h100')
    cpSync(join(V1, 'Closed/HPE/results/Cray_C500_4xHDR200_1host/unet3d_h100'), run, {recursive: true})
    writeFileSync(join(run, '.DS_Store'), '\0\0\0\x01Bud1')
    writeFileSync(join(run, 'run-1', '._summary.json'), 'not json')
    writeFileSync(join(run, '~$notes.docx'), 'lock')
    const tree = await loadResultsTree(root)
    const junk = tree.problems.filter(problem => problem.ruleId === 'mlps.tree.junkFile').map(problem => problem.evidence?.[0]?.file).sort()
    assert.equal(junk.length, 3)
    assert.ok(junk.some(file => file?.endsWith('run-1/._summary.json')))
    assert.equal(tree.groups[0].runs.length, 5)
    assert.ok(tree.runs.every(loaded => loaded.problems.length === 0))
  })

  it('reads a v3.0 reference-tool leaf (<type>_<ts>_metadata.json, uppercase verification, string numbers)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-v3-leaf-'))
    scratch.push(root)
    const leaf = join(root, 'closed/Alluxio/results/sys/training/unet3d/run/20250111_143022')
    mkdirSync(leaf, {recursive: true})
    writeFileSync(join(leaf, 'training_20250111_143022_metadata.json'), JSON.stringify({
      benchmark_type: 'training', model: 'unet3d', command: 'run', run_datetime: '20250111_143022', num_processes: '8', accelerator: 'b200',
      verification: 'CLOSED', parameters: {dataset: {num_files_train: '7412'}}, override_parameters: {'dataset.num_files_train': '7412'},
      args: {hosts: ['c1', 'c2'], data_dir: '/mnt/sut', results_dir: root},
    }))
    const [run] = (await loadResultsTree(root)).runs
    assert.equal(run.layout, 'v3')
    assert.equal(run.division, 'closed')
    assert.equal(run.numProcesses, 8)
    assert.equal(run.numHosts, 2)
    assert.equal(run.userOverrides['dataset.num_files_train'], '7412')
    assert.equal(run.startedAt?.getFullYear(), 2025)
  })

  it('a missing folder or a file is bad input naming the path', async () => {
    await assert.rejects(loadResultsTree('/nonexistent/mlps-results'), /no such results folder/)
    await assert.rejects(loadResultsTree(join(V1, 'README.md')), /is a file/)
  })
})

import assert from 'node:assert/strict'
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import register from '../../plugins/rules-v1/src/hooks/register.js'
import {verifyTree} from '../../src/verify/evaluate.js'
import type {LoadedTree} from '../../src/verify/loaded-run.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {NATIVE_KV_LEAF} from './kvcache-tree.js'
import {NATIVE_VDB_WORKLOAD} from './vectordb-tree.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {dlioSummariesOf, kvRunSummaryOf, vectordbSummaryOf} from '../../lib/result-formats/src/index.js'

const V1 = join(import.meta.dirname, '../../fixtures/storage_results_v1.0')

describe('tree loader on the real v1.0 results (fixtures/storage_results_v1.0)', () => {
  let tree: LoadedTree
  before(async () => {
    tree = await loadResultsTree(V1, await firstPartyCatalogue())
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

describe('tree loader on KV-cache and vector-database leaves (real native runs)', () => {
  it('reads a kv_cache summary.json as the KV-cache run summary, not as a DLIO summary', async () => {
    const tree = await loadResultsTree(join(NATIVE_KV_LEAF, '../..'), await firstPartyCatalogue())
    const [run] = tree.runs
    assert.deepEqual([...tree.problems, ...run.problems], [])
    assert.equal(run.benchmark, 'kv_cache')
    assert.equal(run.sources.summary, `run/${run.path.split('/').at(-1)}/summary.json`)
    assert.deepEqual(Object.keys(kvRunSummaryOf(run)!.options), ['1', '2', '3'])
    assert.equal(kvRunSummaryOf(run)!.total_ranks, 2)
    assert.equal(dlioSummariesOf(run).length, 0)
  })

  it('falls back to kvcache_run_summary_<ts>.json and takes the metrics from it when there is no run record (the reference layout)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-kv-ref-'))
    const leaf = join(root, 'closed/acme/results/sys/kv_cache/llama3.1-8b/run/20260807_155647')
    mkdirSync(leaf, {recursive: true})
    cpSync(join(NATIVE_KV_LEAF, 'summary.json'), join(leaf, 'kvcache_run_summary_20260807_155647.json'))
    writeFileSync(join(leaf, 'kv_cache_20260807_155647_metadata.json'), JSON.stringify({benchmark_type: 'kv_cache', model: 'llama3.1-8b', command: 'run', run_datetime: '20260807_155647', verification: 'CLOSED'}))
    const [run] = (await loadResultsTree(root, await firstPartyCatalogue())).runs
    rmSync(root, {recursive: true, force: true})
    assert.deepEqual(run.problems, [])
    assert.equal(run.layout, 'v3')
    assert.equal(run.sources.summary, `${run.path}/kvcache_run_summary_20260807_155647.json`)
    const summary = JSON.parse(readFileSync(join(NATIVE_KV_LEAF, 'summary.json'), 'utf8'))
    assert.equal(run.metrics.kvcache_opt2_read_GiB_per_second, summary.options['2'].aggregated_read_bandwidth_gbps)
    assert.equal(run.metrics.kvcache_opt2_read_p95_ms, summary.options['2'].aggregated_storage_read_p95_ms)
  })

  it('a kv_cache summary.json without options is named as not a KV-cache run summary', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-kv-bad-'))
    const leaf = join(root, 'kv_cache/llama3.1-8b/run/20260807_155647')
    mkdirSync(leaf, {recursive: true})
    writeFileSync(join(leaf, 'summary.json'), JSON.stringify({metric: {train_au_mean_percentage: 90}}))
    const [run] = (await loadResultsTree(root, await firstPartyCatalogue())).runs
    rmSync(root, {recursive: true, force: true})
    assert.match(run.problems[0]?.message ?? '', /summary\.json: is not a KV-cache run summary \(options: /)
  })

  it('reads vector_database summaries, verdicts and configs; the index type names the workload', async () => {
    const tree = await loadResultsTree(NATIVE_VDB_WORKLOAD, await firstPartyCatalogue())
    assert.deepEqual([...tree.problems, ...tree.runs.flatMap(run => run.problems)], [])
    assert.equal(tree.groups.length, 1)
    const [group] = tree.groups
    assert.equal(group.runs.length, 5)
    assert.equal(group.datagen.length, 1)
    const run = group.runs[0]
    assert.equal(run.model, 'HNSW')
    assert.equal(typeof vectordbSummaryOf(run)?.throughput_qps, 'number')
    assert.deepEqual(Object.keys(run.documents).sort(), ['config.json', 'recall_stats.json', 'result_verdict.json'])
    assert.equal(typeof vectordbSummaryOf(group.datagen[0])?.index_build_seconds, 'number')
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
    const tree = await loadResultsTree(root, await firstPartyCatalogue())
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
    const [run] = (await loadResultsTree(root, await firstPartyCatalogue())).runs
    assert.equal(run.layout, 'v3')
    assert.equal(run.division, 'closed')
    assert.equal(run.numProcesses, 8)
    assert.equal(run.numHosts, 2)
    assert.equal(run.userOverrides['dataset.num_files_train'], '7412')
    assert.equal(run.startedAt?.getFullYear(), 2025)
  })

  it('a missing folder or a file is bad input naming the path', async () => {
    await assert.rejects(loadResultsTree('/nonexistent/mlps-results', await firstPartyCatalogue()), /no such results folder/)
    await assert.rejects(loadResultsTree(join(V1, 'README.md'), await firstPartyCatalogue()), /is a file/)
  })
})

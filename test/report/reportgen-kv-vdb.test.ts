import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {editionV3Corrected} from '../../plugins/rules-v3/src/editions.js'
import {resultsCsv} from '../../src/report/results-csv.js'
import {buildResultsReport, writeResultsReport} from '../../src/report/write-report.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {KV_LEAF, NATIVE_KV_LEAF, writeValidKvTree} from '../verify/kvcache-tree.js'
import {edit} from '../verify/valid-tree.js'
import {NATIVE_VDB_WORKLOAD, VDB_DATAGEN, VDB_RUNS, writeValidVdbTree} from '../verify/vectordb-tree.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'))
const close = (actual: unknown, expected: number, label: string) => assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= Math.abs(expected) * 1e-12, `${label}: ${actual} vs ${expected}`)

describe('reportgen rows for KV cache and vector database (real native runs, and CLOSED trees derived from them)', () => {
  const scratch: string[] = []
  after(() => scratch.forEach(dir => rmSync(dir, {recursive: true, force: true})))
  const tree = (write: (root: string) => void) => {
    const root = mkdtempSync(join(tmpdir(), 'mlps-report-tree-'))
    scratch.push(root)
    write(root)
    return root
  }

  it('KV cache: one row with tokens/s, read/write GiB/s and storage-read P95 per option, straight from summary.json', async () => {
    const {report} = buildResultsReport(await loadResultsTree(join(NATIVE_KV_LEAF, '../..'), await firstPartyCatalogue()), editionV3Corrected, await firstPartyCatalogue())
    assert.equal(report.rows.length, 1)
    const [row] = report.rows
    assert.equal(row.benchmark, 'kv_cache')
    assert.equal(row.category, 'OPEN', 'the native engine is never CLOSED')
    assert.equal(row.runs, 1)
    assert.deepEqual(row.missing, {})
    const summary = json(join(NATIVE_KV_LEAF, 'summary.json'))
    for (const option of ['1', '2', '3']) {
      const figures = summary.options[option]
      close(row.metrics[`kvcache_opt${option}_throughput_tokens_per_second` as keyof typeof row.metrics], figures.aggregated_avg_throughput_tokens_per_sec, `option ${option} tokens/s`)
      close(row.metrics[`kvcache_opt${option}_read_GiB_per_second` as keyof typeof row.metrics], figures.aggregated_read_bandwidth_gbps, `option ${option} read`)
      close(row.metrics[`kvcache_opt${option}_write_GiB_per_second` as keyof typeof row.metrics], figures.aggregated_write_bandwidth_gbps, `option ${option} write`)
      close(row.metrics[`kvcache_opt${option}_read_p95_ms` as keyof typeof row.metrics], figures.aggregated_storage_read_p95_ms, `option ${option} storage-read P95`)
    }
  })

  it('KV cache: a partial failure is not reported as a result; its columns are n/a with the reason in the findings', async () => {
    const root = tree(writeValidKvTree)
    edit(root, `${KV_LEAF}/summary.json`, summary => {
      summary.partial_failure = true
      summary.options['2'].partial_failure = true
    })
    const {report} = buildResultsReport(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected, await firstPartyCatalogue())
    const [row] = report.rows
    assert.equal(row.category, 'INVALID')
    assert.equal(row.metrics.kvcache_opt1_read_GiB_per_second, null)
    assert.match(row.missing.kvcache_opt1_read_GiB_per_second!, /no error-free run/)
    assert.ok(report.findings.some(finding => finding.ruleId === 'report.metricMissing' && /kvcache_opt2_read_GiB_per_second is n\/a/.test(finding.message)))
    assert.match(resultsCsv(report.rows, await firstPartyCatalogue()).split('\n')[1], /,n\/a,/)
  })

  it('vector database: QPS, P50/P95/P99 and recall are the means over the five runs; load and index build time come from datagen', async () => {
    const {report} = buildResultsReport(await loadResultsTree(NATIVE_VDB_WORKLOAD, await firstPartyCatalogue()), editionV3Corrected, await firstPartyCatalogue())
    assert.equal(report.rows.length, 1)
    const [row] = report.rows
    assert.equal(row.benchmark, 'vector_database')
    assert.equal(row.model, 'HNSW')
    assert.equal(row.runs, 5)
    assert.deepEqual(row.missing, {})
    const runs = VDB_RUNS.map(leaf => json(join(NATIVE_VDB_WORKLOAD, leaf.slice(leaf.indexOf('/run/') + 1), 'summary.json')))
    const meanOf = (key: string) => runs.reduce((sum, summary) => sum + summary[key], 0) / runs.length
    close(row.metrics.vdb_queries_per_second, meanOf('throughput_qps'), 'QPS')
    close(row.metrics.vdb_p50_latency_ms, meanOf('median_latency_ms'), 'P50')
    close(row.metrics.vdb_p95_latency_ms, meanOf('p95_latency_ms'), 'P95')
    close(row.metrics.vdb_p99_latency_ms, meanOf('p99_latency_ms'), 'P99')
    close(row.metrics.vdb_recall, meanOf('mean_recall'), 'recall')
    const datagen = json(join(NATIVE_VDB_WORKLOAD, VDB_DATAGEN.slice(VDB_DATAGEN.indexOf('/datagen/') + 1), 'summary.json'))
    close(row.metrics.vdb_load_seconds, datagen.load_seconds, 'load')
    close(row.metrics.vdb_index_build_seconds, datagen.index_build_seconds, 'index build')
  })

  it('report.html shows the KV options table and the vector-database columns and charts; results.csv fills both benchmarks\' columns', async () => {
    const root = tree(root => {
      writeValidKvTree(root)
      writeValidVdbTree(root)
    })
    const output = mkdtempSync(join(tmpdir(), 'mlps-report-out-'))
    scratch.push(output)
    const {report} = buildResultsReport(await loadResultsTree(root, await firstPartyCatalogue()), editionV3Corrected, await firstPartyCatalogue())
    assert.equal(report.category, 'CLOSED')
    await writeResultsReport(report, await firstPartyCatalogue(), root, output)
    const html = readFileSync(join(output, 'report.html'), 'utf8')
    assert.match(html, /<th>storage read P95 ms<\/th>/)
    assert.match(html, /Storage bandwidth per option/)
    assert.match(html, /Queries per second per run/)
    assert.match(html, /<th>index build s<\/th>/)
    assert.doesNotMatch(html, /not aggregated yet/)
    const [header, ...lines] = readFileSync(join(output, 'results.csv'), 'utf8').trimEnd().split('\n')
    const columns = header.split(',')
    for (const line of lines) {
      const cells = line.split(',')
      const own = cells[columns.indexOf('benchmark')] === 'kv_cache' ? columns.filter(name => name.startsWith('kvcache_opt')) : columns.filter(name => name.startsWith('vdb_'))
      for (const name of own) assert.ok(Number.isFinite(Number(cells[columns.indexOf(name)])), `${name} in ${line.slice(0, 60)}`)
    }
  })
})

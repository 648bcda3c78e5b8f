import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseJson, runCli, tempDir} from '../helpers/cli.js'
import {VectorSource} from '../../plugins/engine-native/src/vectordb/vector-source.js'

interface Output {
  status: string
  exitCode: number
  leaf: string
  record: {status: string; category: string; metrics: Record<string, number | boolean>; engine: {name: string; closedEligible: boolean}; findings: Array<{ruleId: string; fix?: string}>}
}

const VECTORS = 20_000
const DIMENSION = 128
const QUERIES = 200
const SEED = 42

function cosineTopK(data: Float32Array, query: Float32Array, k: number): number[] {
  let queryNorm = 0
  for (const x of query) queryNorm += x * x
  const scored: Array<[number, number]> = []
  for (let row = 0; row < data.length / DIMENSION; row++) {
    let dot = 0
    let norm = 0
    for (let i = 0; i < DIMENSION; i++) {
      const v = data[row * DIMENSION + i]
      dot += v * query[i]
      norm += v * v
    }
    scored.push([1 - dot / Math.sqrt(norm * queryNorm), row])
  }
  return scored.sort((a, b) => a[0] - b[0]).slice(0, k).map(([, id]) => id)
}

describe('mlps vectordb on the native engine: embedded store, datagen then a timed run (built CLI)', function () {
  this.timeout(120_000)
  const dataDir = tempDir('mlps-vdb-data-')
  const results = tempDir('mlps-vdb-results-')
  const common = ['--data-dir', dataDir, '--num-vectors', String(VECTORS), '--dimension', String(DIMENSION), '--seed', String(SEED), '--results-dir', results, '--json']
  let run: Output

  before(async () => {
    const datagen = parseJson<Output>(await runCli(['vectordb', 'datagen', ...common]))
    assert.equal(datagen.exitCode, 0, JSON.stringify(datagen.record.metrics))
    assert.equal(datagen.record.metrics.inserted_vectors, VECTORS)
    assert.ok((datagen.record.metrics.bytes_on_disk as number) > VECTORS * DIMENSION * 4, 'the vectors and the index are on disk')
    assert.match(datagen.leaf, /vector_database\/native\/IVF_FLAT\/datagen\/\d{8}_\d{6}$/)
    const result = await runCli(['vectordb', 'run', ...common, '--runtime', '5', '--num-query-processes', '2', '--num-query-vectors', String(QUERIES)])
    run = parseJson<Output>(result)
    assert.equal(run.exitCode, 0, result.stderr)
  })

  it('reports QPS, latency percentiles, recall, index build time and bytes on disk, labelled native', () => {
    const m = run.record.metrics as Record<string, number>
    assert.equal(run.record.status, 'COMPLETED')
    assert.equal(run.record.engine.name, 'native')
    assert.notEqual(run.record.category, 'CLOSED')
    const ruleIds = run.record.findings.map(f => f.ruleId)
    assert.ok(ruleIds.some(id => /^5\.\d/.test(id)), `the v3.0 vector-database rules judged the run: ${ruleIds.join(', ')}`)
    assert.ok(!ruleIds.some(id => id.startsWith('vectordb.')), 'and the plugin did not say the same things again')
    for (const name of ['throughput_qps', 'p50_latency_ms', 'p95_latency_ms', 'p99_latency_ms', 'recall_at_k', 'index_build_seconds', 'bytes_on_disk']) {
      assert.equal(typeof m[name], 'number', name)
    }
    assert.ok(m.throughput_qps > 0)
    assert.ok(m.p50_latency_ms <= m.p95_latency_ms && m.p95_latency_ms <= m.p99_latency_ms)
    assert.ok(m.recall_at_k > 0 && m.recall_at_k <= 1)
    assert.equal(m.recall_queries, QUERIES)
  })

  it('names vdbbench as the official engine to run for a CLOSED result, not another benchmark\'s', () => {
    const emulated = run.record.findings.find(f => f.ruleId === 'mlps.engine.closedEligible')
    assert.equal(emulated?.fix, 'run vectordb with --engine vdbbench (its official engine) for a CLOSED submission')
  })

  it('computes throughput from its own per-batch records, as vdbbench does', () => {
    const stats = JSON.parse(readFileSync(join(run.leaf, 'statistics.json'), 'utf8')) as Record<string, number>
    const rows = [0, 1].flatMap(client => readFileSync(join(run.leaf, `vdb_benchmark_p${client}.csv`), 'utf8').trim().split('\n').slice(1))
    assert.equal(rows.reduce((sum, line) => sum + Number(line.split(',')[3]), 0), stats.total_queries)
    assert.ok(Math.abs(stats.throughput_qps - stats.total_queries / stats.total_time_seconds) < 1e-9)
    assert.ok(stats.total_time_seconds >= 4.5 && stats.total_time_seconds < 8)
  })

  it('reports a recall@10 that an independent exact search confirms on a sample of queries', () => {
    const data = new VectorSource(SEED, 'uniform', DIMENSION).next(VECTORS)
    const queries = VectorSource.forQueries(SEED, 'uniform', DIMENSION).next(QUERIES)
    const hits = new Map(readFileSync(join(run.leaf, 'recall_hits.jsonl'), 'utf8').trim().split('\n').map(line => {
      const {q, ids} = JSON.parse(line) as {q: number; ids: number[]}
      return [q, ids] as const
    }))
    const reported = (JSON.parse(readFileSync(join(run.leaf, 'statistics.json'), 'utf8')) as {recall: {per_query_recall: number[]}}).recall.per_query_recall
    assert.equal(hits.size, QUERIES)
    for (let q = 0; q < QUERIES; q += 10) {
      const exact = new Set(cosineTopK(data, queries.subarray(q * DIMENSION, (q + 1) * DIMENSION), 10))
      const recall = hits.get(q)!.slice(0, 10).filter(id => exact.has(id)).length / 10
      assert.equal(reported[q], recall, `query ${q}`)
    }
    const mean = reported.reduce((a, b) => a + b, 0) / reported.length
    assert.ok(Math.abs(mean - (run.record.metrics.recall_at_k as number)) < 1e-12)
  })

  it('refuses to run against a collection that does not match the flags', async () => {
    const result = await runCli(['vectordb', 'run', '--data-dir', dataDir, '--num-vectors', String(VECTORS), '--dimension', '64', '--collection', `mlps_20k_1shards_128dim_uniform`, '--results-dir', results, '--runtime', '1'])
    assert.equal(result.exitCode, 2)
    assert.match(result.stderr, /--dimension 64 but the collection has 128/)
  })
})

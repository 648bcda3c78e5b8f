import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {repoRoot} from '../../../test/helpers/cli.js'
import {groundTruthComplete, parseLoadLog, parseQueryStdout, parseVdbbenchStatistics, parseVdbbenchVerdict, statisticsMetrics, summaryOf} from '@mlps/plugin-vectordb'

const fixture = (name: string) => readFileSync(join(repoRoot, 'fixtures', 'vectordb', name), 'utf8')

describe('vdbbench output parsers (samples constructed from engines.md §4.4)', () => {
  it('reads statistics.json into the run metrics, recall included', () => {
    const stats = parseVdbbenchStatistics(fixture('statistics.json'), 'statistics.json')
    const metrics = statisticsMetrics(stats)
    assert.equal(metrics.total_queries, 563136)
    assert.equal(metrics.mean_latency_ms, 2.48)
    assert.equal(metrics.p99_latency_ms, 2.93)
    assert.equal(metrics.p50_latency_ms, 2.44)
    assert.equal(metrics.recall_at_k, 0.3052)
    assert.equal(metrics.recall_k, 10)
    // the published identity: throughput_qps = total_queries / total_time_seconds
    assert.ok(Math.abs((metrics.throughput_qps as number) - 563136 / 61.0639) < 1e-3)
    assert.equal(stats.total_queries, stats.batch_count! * 8)
  })

  it('leaves recall absent, not 0, when statistics.json has none', () => {
    const {recall: _recall, ...withoutRecall} = JSON.parse(fixture('statistics.json')) as Record<string, unknown>
    const metrics = statisticsMetrics(parseVdbbenchStatistics(JSON.stringify(withoutRecall), 'x'))
    assert.equal('recall_at_k' in metrics, false)
  })

  it('writes summary.json as mlpstorage does: recall reduced to mean_recall', () => {
    const summary = summaryOf(parseVdbbenchStatistics(fixture('statistics.json'), 'statistics.json'))
    assert.equal(summary.mean_recall, 0.3052)
    assert.equal('recall' in summary, false)
    assert.equal(summary.throughput_qps, JSON.parse(fixture('statistics.json')).throughput_qps)
  })

  it('names the file and the missing field when statistics.json is not vdbbench output', () => {
    assert.throws(() => parseVdbbenchStatistics('{"total_queries": 5}', '/leaf/statistics.json'), /\/leaf\/statistics\.json.*throughput_qps/)
    assert.throws(() => parseVdbbenchStatistics('{"total_q', '/leaf/statistics.json'), /\/leaf\/statistics\.json is not JSON/)
  })

  it('tells complete ground truth from a FLAT copy below 99 %', () => {
    const valid = parseVdbbenchVerdict(fixture('result_verdict.valid.json'), 'v')
    const invalid = parseVdbbenchVerdict(fixture('result_verdict.invalid.json'), 'i')
    assert.equal(valid.valid, true)
    assert.equal(groundTruthComplete(valid), true)
    assert.equal(invalid.valid, false)
    assert.equal(groundTruthComplete(invalid), false)
    assert.equal(groundTruthComplete(parseVdbbenchVerdict('{"result": "valid", "valid": true}', 'bare')), undefined)
  })

  it('finds RESULT and the statistics JSON at the end of the query stdout', () => {
    const out = parseQueryStdout(fixture('vector_database_run.stdout.log'))
    assert.equal(out.result, 'valid')
    const stats = parseVdbbenchStatistics(JSON.stringify(out.statistics), 'stdout')
    assert.equal(stats.throughput_qps, JSON.parse(fixture('statistics.json')).throughput_qps)
    assert.deepEqual(parseQueryStdout('no result here\n'), {})
  })

  it('adds up load-vdb\'s per-chunk insert lines and reads flush and index times', () => {
    const log = parseLoadLog(fixture('vector_database_datagen.stderr.log'))
    assert.equal(log.insertedVectors, 20000)
    assert.ok(Math.abs(log.insertSeconds - 1.44) < 1e-9)
    assert.equal(log.generateSeconds, 3.1)
    assert.equal(log.flushSeconds, 1.25)
    assert.equal(log.indexCreateSeconds, 0.51)
    assert.deepEqual(log.lastBatch, {done: 10, of: 10})
  })
})

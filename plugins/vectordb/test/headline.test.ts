import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseVdbbenchStatistics, statisticsMetrics, vectordbHeadline} from '@mlps/plugin-vectordb'
import {repoRoot} from '../../../test/helpers/cli.js'
import {recordWith} from '../../../test/helpers/run-record.js'

const statistics = () => statisticsMetrics(parseVdbbenchStatistics(readFileSync(join(repoRoot, 'fixtures/vectordb/statistics.json'), 'utf8'), 'statistics.json'))

describe('vector DB headline from vdbbench statistics (constructed sample of the documented format)', () => {
  it('QPS, latency P50/P95/P99/P99.9 and recall@k; recall 0.3052 is low for DISKANN and the headline warns', () => {
    const headline = vectordbHeadline(recordWith({model: 'DISKANN', metrics: statistics()}))!
    assert.deepEqual(Object.fromEntries(headline.sections[0].figures.map(f => [f.id, f.value])), {
      qps: 9222.077201, latency_p50_ms: 2.44, latency_p95_ms: 2.79, latency_p99_ms: 2.93, latency_p999_ms: 4.12, recall_at_k: 0.3052,
    })
    assert.equal(headline.sections[0].figures.at(-1)!.label, 'recall@10')
    assert.equal(headline.warnings?.length, 1)
    assert.match(headline.warnings![0], /recall@10 0\.3052 is low for DISKANN \(at least 0\.9 is usual\)/)
  })

  it('no warning when the recall is what the index usually reaches', () => {
    const metrics = {...statistics(), recall_at_k: 0.95}
    assert.equal(vectordbHeadline(recordWith({model: 'HNSW', metrics}))!.warnings, undefined)
    assert.equal(vectordbHeadline(recordWith({model: 'FLAT', metrics}))!.warnings?.length, 1, 'an exact search finds all')
  })
})

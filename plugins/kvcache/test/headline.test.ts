import assert from 'node:assert/strict'
import {aggregateOption, kvcacheHeadline, rankResultFrom, recordMetrics} from '@mlps/plugin-kvcache'
import {earlyNvmeOnly, fixtureDocument, v3Constructed} from '../../../test/kvcache/fixtures.js'
import {recordWith} from '../../../test/helpers/run-record.js'

function headlineOf(file: string) {
  const document = fixtureDocument(file)
  const option = aggregateOption(1, [{trial: 0, ranks: [{rank: 0, result: rankResultFrom(document, file)}]}], 1)
  const metrics = recordMetrics({runTimestamp: 'x', plan: {ranks: 1, npernode: 1, hostCount: 1, trialsPerOption: 1}, options: [option], partialFailure: false})
  return {document, headline: kvcacheHeadline(recordWith({metrics}))!}
}

describe('KV cache headline from kv-cache.py output', () => {
  it('a real published rank file (early schema, mistral-7b on NVMe): tokens/s and the storage I/O latency P50/P95/P99 it reports', () => {
    const {document, headline} = headlineOf(earlyNvmeOnly)
    const summary = document.summary as unknown as {avg_throughput_tokens_per_sec: number; storage_io_latency_ms: {p50: number; p95: number; p99: number}}
    assert.equal(headline.sections.length, 1)
    assert.equal(headline.sections[0].title, 'option 1 (Max Storage Stress)')
    const figures = Object.fromEntries(headline.sections[0].figures.map(f => [f.id, f.value]))
    assert.equal(figures.option1_tokens_per_second, summary.avg_throughput_tokens_per_sec)
    assert.equal(figures.option1_latency_p50_ms, summary.storage_io_latency_ms.p50)
    assert.equal(figures.option1_latency_p95_ms, summary.storage_io_latency_ms.p95)
    assert.equal(figures.option1_latency_p99_ms, summary.storage_io_latency_ms.p99)
  })

  it('the v3.0 schema (constructed sample): storage read and write GiB/s as well', () => {
    const {headline} = headlineOf(v3Constructed)
    const figures = Object.fromEntries(headline.sections[0].figures.map(f => [f.id, f.value]))
    assert.ok((figures.option1_read_GiB_per_second as number) > 0)
    assert.ok((figures.option1_write_GiB_per_second as number) > 0)
    assert.equal(headline.warnings, undefined)
  })
})

import assert from 'node:assert/strict'
import {parseDlioSummary} from '../../lib/result-formats/src/dlio/dlio-summary.js'
import {parseTolerantJson} from '../../src/util/tolerant-json.js'

describe('engine output JSON', () => {
  it('reads the NaN and Infinity literals Python writes as null, but not inside strings', () => {
    assert.deepEqual(parseTolerantJson('{"a": NaN, "b": [Infinity, -Infinity, 1], "c": "NaN \\" Infinity"}'), {a: null, b: [null, null, 1], c: 'NaN " Infinity'})
  })

  it('parses a checkpoint summary with NaN statistics', () => {
    const summary = parseDlioSummary('{"metric": {"save_checkpoint_io_mean_GB_per_second": NaN, "checkpoint_size_GB": 104.7}, "epochs": 0}')
    assert.equal(summary.metric.save_checkpoint_io_mean_GB_per_second, null)
    assert.equal(summary.metric.checkpoint_size_GB, 104.7)
  })

  it('names the file when the summary is truncated', () => {
    assert.throws(() => parseDlioSummary('{"metric": {"train_au', '/leaf/summary.json'), (error: Error & {where?: string}) => error.where === '/leaf/summary.json')
  })
})

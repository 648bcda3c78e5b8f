import assert from 'node:assert/strict'
import {join} from 'node:path'
import {readDlioSummary, summaryMetrics} from '@mlps/result-formats'
import {checkpointingHeadline} from '@mlps/plugin-checkpointing'
import {repoRoot} from '../../../test/helpers/cli.js'
import {recordWith} from '../../../test/helpers/run-record.js'

describe('checkpointing headline from a real published DLIO summary (SAMSUNG llama3-8b, v3.0)', () => {
  it('write and read GiB/s and durations, the checkpoint size, and the write→read gap the run recorded', async () => {
    const summary = await readDlioSummary(join(repoRoot, 'fixtures/dlio/v3.0/samsung-llama3-8b-checkpointing/summary.json'))
    const record = recordWith({metrics: summaryMetrics(summary), extra: {checkpointing: {writeEndToReadStartSeconds: 12.5}}})
    const figures = Object.fromEntries(checkpointingHeadline(record)!.sections[0].figures.map(f => [f.id, f.value]))
    assert.deepEqual(figures, {
      write_GiB_per_second: 15.91369658349501, write_duration_seconds: 6.6093582,
      read_GiB_per_second: 17.768773315490236, read_duration_seconds: 8.201375500000001,
      write_to_read_gap_seconds: 12.5, checkpoint_GiB: 104.70452117919922,
    })
  })

  it('the read invocation of a write/read pair shows its own direction and the gap only', () => {
    const record = recordWith({metrics: {load_checkpoint_io_mean_GB_per_second: 3, load_checkpoint_duration_mean_seconds: 2}, extra: {checkpointing: {writeEndToReadStartSeconds: 4}}})
    assert.deepEqual(checkpointingHeadline(record)!.sections[0].figures.map(f => f.id), ['read_GiB_per_second', 'read_duration_seconds', 'write_to_read_gap_seconds'])
    assert.equal(checkpointingHeadline(recordWith({})), undefined)
  })
})

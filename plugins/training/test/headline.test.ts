import assert from 'node:assert/strict'
import {join} from 'node:path'
import {readDlioSummary, summaryMetrics} from '@mlps/result-formats'
import {trainingHeadline} from '@mlps/plugin-training'
import {repoRoot} from '../../../test/helpers/cli.js'
import {recordWith} from '../../../test/helpers/run-record.js'

describe('training headline from a real published DLIO summary (Hammerspace unet3d H100, v1.0)', () => {
  it('AU per epoch and mean against the threshold, samples/s and MiB/s in total and per accelerator', async () => {
    // the record as the dlio engine fills it: summary.json's metric block, 2 accelerators, unet3d's metric.au
    const summary = await readDlioSummary(join(repoRoot, 'fixtures/dlio/v1.0/hammerspace-unet3d-h100-run1/summary.json'))
    const record = recordWith({metrics: summaryMetrics(summary), numProcesses: 2, parameters: {effective: {metric: {au: 0.9}}}})
    const figures = Object.fromEntries(trainingHeadline(record)!.sections[0].figures.map(f => [f.id, f]))
    assert.equal(figures.au_mean.value, 96.24700229084856)
    assert.equal(figures.au_mean.note, 'threshold 90 %: met')
    assert.deepEqual(figures.au_per_epoch.value, [96.4302490796833, 95.82499047807363, 96.03380770885143, 96.68178900652077, 96.26417518111367])
    assert.equal(figures.samples_per_second.value, 41.27195057766862)
    assert.equal(figures.samples_per_second_per_accelerator.value, 41.27195057766862 / 2)
    assert.equal((figures.samples_per_second_per_epoch.value as number[]).length, 5)
    assert.equal(figures.mib_per_second.value, 5770.200608702833)
    assert.equal(figures.mib_per_second_per_accelerator.value, 5770.200608702833 / 2)
  })

  it('a run stopped before its summary has no headline (the live view says what it measured)', () => {
    assert.equal(trainingHeadline(recordWith({status: 'INTERRUPTED'})), undefined)
  })
})

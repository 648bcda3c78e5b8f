import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ClusterSnapshotSchema} from '../../src/cluster/host-facts.js'
import {TimeSeriesSchema} from '../../src/cluster/time-series.js'
import {RunRecordSchema} from '../../src/results/run-record.js'
import {isolatedEnv, parseJson, runCli, tempDir} from '../helpers/cli.js'

const SMALL = ['--param', 'dataset.num_files_train=42', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=65536']

describe('start/end snapshots and the time series in a benchmark run (built CLI, native engine)', () => {
  it('a ~20 s training run with --collector local and a 5 s interval records start, end, deltas and ≥ 2 samples', async () => {
    const dir = tempDir()
    const common = ['--model', 'unet3d', '--data-dir', join(dir, 'data'), '--results-dir', join(dir, 'results'), ...SMALL]
    const datagen = await runCli(['training', 'datagen', ...common, '--num-accelerators', '1', '--collector', 'none', '--json'])
    assert.equal(datagen.exitCode, 0, datagen.stderr)
    // 6 steps per epoch × 0.3 s of emulated compute × 10 epochs ≈ 18 s of run phase
    const run = await runCli(['training', 'run', ...common, '-g', 'h100', '--num-accelerators', '1', '--param', 'train.epochs=10',
      '--param', 'train.computation_time=0.3', '--collector', 'local', '--json'], {env: {...isolatedEnv(), MLPS_SAMPLE_INTERVAL_SECONDS: '5'}})
    assert.equal(run.exitCode, 0, run.stderr)
    const {leaf} = parseJson<{leaf: string}>(run)
    const record = RunRecordSchema.parse(JSON.parse(readFileSync(join(leaf, 'metadata.json'), 'utf8')))
    const cluster = record.extra.cluster as {collector: string; start: unknown; end: unknown; deltas: {hosts: Array<{seconds: number; cpuBusyPercent: number | null}>}; timeseries: {file: string; numSamples: number; intervalSeconds: number}}
    assert.equal(cluster.collector, 'local')
    const start = ClusterSnapshotSchema.parse(cluster.start)
    const end = ClusterSnapshotSchema.parse(cluster.end)
    assert.equal(start.hosts.length, 1)
    assert.equal(end.hosts[0].fingerprint, start.hosts[0].fingerprint)
    assert.ok(Date.parse(end.hosts[0].collectedAt) - Date.parse(start.hosts[0].collectedAt) >= 15_000)
    assert.ok(cluster.deltas.hosts[0].seconds >= 15 && cluster.deltas.hosts[0].cpuBusyPercent !== null)
    assert.equal(record.metrics.cluster_num_hosts, 1)
    assert.equal(record.metrics.cluster_total_memory_bytes, start.hosts[0].stable.memory.totalBytes)

    const timestamp = leaf.split('/').at(-1)
    assert.equal(cluster.timeseries.file, `training_${timestamp}_timeseries.json`)
    assert.ok(record.artifacts.includes(cluster.timeseries.file))
    const series = TimeSeriesSchema.parse(JSON.parse(readFileSync(join(leaf, cluster.timeseries.file), 'utf8')))
    assert.equal(series.intervalSeconds, 5)
    const samples = series.samplesByHost.localhost
    assert.ok(samples.length >= 2, `${samples.length} samples`)
    assert.equal(cluster.timeseries.numSamples, samples.length)
    const gaps = samples.slice(1).map((s, i) => Date.parse(s.time) - Date.parse(samples[i].time))
    assert.ok(gaps.every(gap => gap > 4000 && gap < 8000), `gaps ${gaps.join(', ')} ms`)
    assert.ok(series.cost.controllerMsPerSample !== null)
  })
})

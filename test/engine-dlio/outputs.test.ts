import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseDlioSummary, readDlioSummary} from '../../lib/result-formats/src/dlio/dlio-summary.js'
import {dlioLogEvent, parseDlioLog} from '../../lib/result-formats/src/dlio/dlio-log.js'
import {findDlioRunFiles} from '../../lib/result-formats/src/dlio/dlio-run-files.js'
import {parseHydraComposedConfig, parseHydraOverrideList, parseHydraRuntime} from '../../lib/result-formats/src/dlio/hydra-config.js'
import {parsePerEpochStats, readPerEpochStats} from '../../lib/result-formats/src/dlio/per-epoch-stats.js'
import {repoRoot} from '../helpers/cli.js'

const fixture = (...path: string[]) => join(repoRoot, 'fixtures', 'dlio', ...path)
const read = (...path: string[]) => readFileSync(fixture(...path), 'utf8')

describe('DLIO outputs, on real published results (fixtures/dlio)', () => {
  it('finds the files of a v1.0 run (unranked per_epoch_stats.json, configs/) and a v3.0 run (<rank>_..., dlio_config/)', async () => {
    const v1 = await findDlioRunFiles(fixture('v1.0', 'hammerspace-unet3d-h100-run1'))
    assert.equal(v1.summary, fixture('v1.0', 'hammerspace-unet3d-h100-run1', 'summary.json'))
    assert.deepEqual(v1.perEpochStats, [{rank: undefined, file: fixture('v1.0', 'hammerspace-unet3d-h100-run1', 'per_epoch_stats.json')}])
    assert.equal(v1.configDir, fixture('v1.0', 'hammerspace-unet3d-h100-run1', 'configs'))
    assert.deepEqual(Object.keys(v1.config).sort(), ['config', 'hydra', 'overrides'])
    const v3 = await findDlioRunFiles(fixture('v3.0', 'samsung-llama3-8b-checkpointing'))
    assert.deepEqual(v3.perEpochStats.map(entry => entry.rank), [0])
    assert.equal(v3.configDir, fixture('v3.0', 'samsung-llama3-8b-checkpointing', 'dlio_config'))
    assert.deepEqual(Object.keys(v3.config).sort(), ['config', 'overrides'])
    assert.equal(v3.dlioLog, undefined)
  })

  it('reads v1.0 training per-epoch stats: string durations become seconds, the ckpt1 phase is kept', async () => {
    const epochs = await readPerEpochStats(fixture('v1.0', 'hammerspace-unet3d-h100-run1', 'per_epoch_stats.json'))
    assert.deepEqual(epochs.map(e => e.epoch), [1, 2, 3, 4, 5])
    assert.equal(epochs[0].durationSeconds, 227.24)
    assert.deepEqual(epochs[0].blocks.block1, {start: '2024-08-29T12:24:52.869450', end: '2024-08-29T12:28:40.076879', durationSeconds: 227.21})
    assert.deepEqual(Object.keys(epochs[4].checkpoints), ['ckpt1'])
    assert.equal(typeof epochs[4].checkpoints.ckpt1.durationSeconds, 'number')
  })

  it('reads v3.0 checkpoint stats: float durations, GiB/s that agree with the summary\'s checkpoint size', async () => {
    const [epoch] = await readPerEpochStats(fixture('v3.0', 'samsung-llama3-8b-checkpointing', '0_per_epoch_stats.json'))
    const names = Object.keys(epoch.checkpoints)
    assert.equal(names.filter(name => name.startsWith('save_ckpt')).length, 10)
    assert.equal(names.filter(name => name.startsWith('load_ckpt')).length, 10)
    assert.deepEqual(epoch.checkpoints.save_ckpt1, {start: '2026-07-21T00:04:36.000747', end: '2026-07-21T00:04:42.695773', durationSeconds: 6.695026, throughput: 15.639150793320177})
    const summary = await readDlioSummary(fixture('v3.0', 'samsung-llama3-8b-checkpointing', 'summary.json'))
    // engines.md §2.7: throughput = checkpoint_size_GB / duration, rank 0's view
    for (const phase of Object.values(epoch.checkpoints)) {
      assert.ok(Math.abs(phase.throughput! * phase.durationSeconds! - summary.metric.checkpoint_size_GB!) < 1e-6)
    }
  })

  it('tolerates NaN in per-epoch stats and names the file of a broken one', () => {
    assert.equal(parsePerEpochStats('{"1": {"duration": NaN, "block1": {"duration": "nan"}}}')[0].durationSeconds, null)
    assert.throws(() => parsePerEpochStats('{"1": {"start": ', 'x/0_per_epoch_stats.json'), (error: Error & {where?: string}) => error.where === 'x/0_per_epoch_stats.json')
    assert.throws(() => parsePerEpochStats('{"epoch one": {}}', 'f.json'), /epoch keys are numbers/)
  })

  it('reads hydra\'s three copies: overrides, the composed workload, and the runtime facts', () => {
    const overrides = parseHydraOverrideList(read('v1.0', 'ddn-cosmoflow-a100-run4-c008', 'configs', 'overrides.yaml'))
    assert.equal(overrides.workload, 'cosmoflow_a100')
    assert.equal(overrides.workloadParams['dataset.num_files_train'], '5580372')
    assert.equal(overrides.workloadParams['storage.storage_type'], 'local_fs')
    assert.deepEqual(overrides.overrides[1], {raw: '++workload.workflow.generate_data=False', prefix: '++', key: 'workload.workflow.generate_data', value: 'False'})
    const {workload} = parseHydraComposedConfig(read('v1.0', 'hammerspace-unet3d-h100-run1', 'configs', 'config.yaml'))
    assert.equal((workload.dataset as Record<string, unknown>).record_length, 146600628)
    assert.equal((workload.reader as Record<string, unknown>).read_threads, 8)
    const runtime = parseHydraRuntime(read('v1.0', 'hammerspace-unet3d-h100-run1', 'configs', 'hydra.yaml'))
    assert.deepEqual({runDir: runtime.runDir, outputSubdir: runtime.outputSubdir, workload: runtime.workload, version: runtime.hydraVersion},
      {runDir: '/home/ubuntu/storage/results/Hammerspace_unet3d_1Client_H100/run1', outputSubdir: 'configs', workload: 'unet3d_h100', version: '1.3.2'})
    assert.deepEqual(runtime.task, parseHydraOverrideList(read('v1.0', 'hammerspace-unet3d-h100-run1', 'configs', 'overrides.yaml')).overrides.map(o => o.raw))
    assert.ok(runtime.hydra.includes('++hydra.output_subdir=configs'))
  })

  it('the parsed files agree with each other: I/O rate = mean samples/s × record length / 2^20 (engines.md §2.7)', async () => {
    for (const run of ['hammerspace-unet3d-h100-run1', 'hammerspace-resnet50-a100-run1', 'ddn-cosmoflow-a100-run4-c008']) {
      const summary = await readDlioSummary(fixture('v1.0', run, 'summary.json'))
      const {workload} = parseHydraComposedConfig(read('v1.0', run, 'configs', 'config.yaml'))
      const recordLength = (workload.dataset as Record<string, number>).record_length
      const expected = summary.metric.train_throughput_mean_samples_per_second! * recordLength / 2 ** 20
      assert.ok(Math.abs(summary.metric.train_io_mean_MB_per_second! - expected) / expected < 1e-9, run)
      const epochs = await readPerEpochStats(fixture('v1.0', run, 'per_epoch_stats.json'))
      assert.equal(epochs.length, summary.epochs, run)
    }
  })

  it('parses every run folder of the whole published v1.0 tree (fixtures/storage_results_v1.0)', async () => {
    const runDirs: string[] = []
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, {withFileTypes: true})) {
        if (entry.isDirectory()) walk(join(dir, entry.name))
        else if (entry.name === 'overrides.yaml') runDirs.push(join(dir, '..'))
      }
    }
    walk(join(repoRoot, 'fixtures', 'storage_results_v1.0'))
    let summaries = 0
    let stats = 0
    for (const dir of runDirs) {
      const files = await findDlioRunFiles(dir)
      if (files.summary) summaries += parseDlioSummary(readFileSync(files.summary, 'utf8'), files.summary).metric.train_au_mean_percentage === undefined ? 0 : 1
      for (const entry of files.perEpochStats) stats += parsePerEpochStats(readFileSync(entry.file, 'utf8'), entry.file).length > 0 ? 1 : 0
      const overrides = parseHydraOverrideList(readFileSync(files.config.overrides!, 'utf8'))
      assert.ok(overrides.workload, dir)
      assert.deepEqual(parseHydraRuntime(readFileSync(files.config.hydra!, 'utf8')).task, overrides.overrides.map(o => o.raw), dir)
      parseHydraComposedConfig(readFileSync(files.config.config!, 'utf8'))
    }
    // the tree's hydra folders include datagen and timestamped attempts without results
    assert.deepEqual({runDirs: runDirs.length, summaries, stats}, {runDirs: 224, summaries: 200, stats: 200})
  })

  it('reads dlio.log: the epoch lines and the closing metric block (v3.0 excerpt)', () => {
    const log = parseDlioLog(read('v3.0', 'alluxio-unet3d-b200-log', 'dlio.log'))
    assert.equal(log.processes, 8)
    assert.equal(log.mode, 'Training')
    assert.deepEqual(log.epochs, [{epoch: 1, steps: 991, seconds: 174.4, au: 93.8631, samplesPerSecond: 324.2109}])
    assert.equal(log.metrics['Training Accelerator Utilization [AU] (%)'], '92.5209 (0.3415)')
    assert.equal(log.metrics.train_au_meet_expectation, 'success')
    assert.equal(log.metrics['Number of Simulated Accelerators'], '8')
    assert.deepEqual(log.errors, [])
  })

  it('recognises checkpoint and error lines as DLIO prints them', () => {
    assert.deepEqual(dlioLogEvent('[OUTPUT] 2026-07-21T00:04:42.7 Finished saving checkpoint 1 for epoch 1 in 6.6950 s; Throughput: 15.6392 GB/s'),
      {kind: 'checkpoint', operation: 'save', checkpoint: 1, epoch: 1, seconds: 6.695, gbPerSecond: 15.6392})
    assert.deepEqual(dlioLogEvent('[ERROR] 2026-07-04T06:42:46.8 Expected 28000 training files but 0 found'), {kind: 'error', message: 'Expected 28000 training files but 0 found'})
    assert.equal(dlioLogEvent('plain framework print'), undefined)
    assert.deepEqual(dlioLogEvent('\rGenerating NPZ Data: [====>---------------] 6.4% 601 of 9375'), {kind: 'generation', format: 'NPZ', file: 601, files: 9375})
  })
})

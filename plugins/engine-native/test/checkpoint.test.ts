import assert from 'node:assert/strict'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {parseDlioSummary} from '@mlps/result-formats'

import {checkpointEntry, type CheckpointEntry, checkpointMetric, type CheckpointProgress, runCheckpoints} from '@mlps/plugin-engine-native'
import {repoRoot} from '../../../test/helpers/cli.js'
import {scratchSpace} from '../../../test/engine-native/workloads.js'

const SAMSUNG = join(repoRoot, 'fixtures/checkpointing-v3.0/closed/SAMSUNG/results/MEMORY_AE/checkpointing/llama3-8b/20260721_000424')
const micros = (timestamp: string) => Date.parse(timestamp.slice(0, 23)) * 1000 + Number(timestamp.slice(23))
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b))

/** Two ranks × two shard files of uneven sizes, as a ZeRO-3 layout has them. */
const RANKS = [0, 1].map(rank => [
  {name: `zero_pp_rank_${rank}_mp_rank_0_model_states.pt`, bytes: 300_000 + rank},
  {name: `zero_pp_rank_${rank}_mp_rank_0_optim_states.pt`, bytes: 1_500_000 + 7 * rank},
])
const CHECKPOINT_BYTES = RANKS.flat().reduce((sum, f) => sum + f.bytes, 0)

interface PerEpochStats {'1': Record<string, CheckpointEntry | string>}

describe('native engine checkpointing', () => {
  const scratch = scratchSpace()
  after(scratch.remove)

  it('reproduces a real v3.0 summary from its rank 0 per-checkpoint stats (SAMSUNG llama3-8b)', () => {
    const stats = JSON.parse(readFileSync(join(SAMSUNG, '0_per_epoch_stats.json'), 'utf8')) as PerEpochStats
    const summary = JSON.parse(readFileSync(join(SAMSUNG, 'summary.json'), 'utf8'))
    const entries = (prefix: string) => Object.entries(stats['1']).filter(([k]) => k.startsWith(prefix)).map(([, v]) => v as CheckpointEntry)
    for (const entry of [...entries('save_ckpt'), ...entries('load_ckpt')]) {
      // duration is end − start at microsecond resolution; throughput is the whole checkpoint over it
      const recomputed = checkpointEntry(micros(entry.start) / 1000, micros(entry.end) / 1000, summary.metric.checkpoint_size_GB)
      assert.ok(close(recomputed.duration, entry.duration), `${entry.start}: ${recomputed.duration} vs ${entry.duration}`)
      assert.ok(close(recomputed.throughput, entry.throughput))
    }
    const metric = checkpointMetric({save: entries('save_ckpt'), load: entries('load_ckpt')}, summary.metric.checkpoint_size_GB)
    assert.deepEqual(Object.keys(metric), Object.keys(summary.metric))
    for (const [key, value] of Object.entries(summary.metric)) assert.ok(close(metric[key as keyof typeof metric] as number, value as number), `${key}: ${metric[key as keyof typeof metric]} vs ${value}`)
  })

  it('writes and reads every shard at its exact size, with DLIO-shaped outputs whose summary follows from rank 0\'s stats', async () => {
    const folder = join(scratch.dir('ckpt'), 'llama3-8b')
    const outputDir = scratch.dir('out')
    const events: CheckpointProgress[] = []
    const result = await runCheckpoints({
      folder, ranks: RANKS, numCheckpointsWrite: 3, numCheckpointsRead: 3, timeBetweenCheckpoints: 0.02, fsync: true,
      clearCacheBetweenPhases: false, outputDir, hostname: 'node-a', onProgress: p => events.push(p),
    })
    for (let step = 1; step <= 3; step++) {
      for (const file of RANKS.flat()) assert.equal(statSync(join(folder, `global_epoch1_step${step}`, file.name)).size, file.bytes)
    }
    const summaryText = readFileSync(join(outputDir, 'summary.json'), 'utf8')
    const summary = parseDlioSummary(summaryText)
    assert.deepEqual(Object.keys(JSON.parse(summaryText)), [
      'start', 'num_accelerators', 'num_hosts', 'hostname', 'metric', 'num_files_train', 'num_files_eval', 'num_samples_per_file',
      'host_cpu_count', 'host_processor_name', 'potential_caching', 'host_cpuinfo', 'host_meminfo', 'host_memory_GB',
      'data_size_per_host_GB', 'epochs', 'end', 'engine',
    ])
    assert.deepEqual([summary.num_accelerators, summary.hostname, summary.epochs], [2, 'node-a', 0])
    assert.equal(summary.metric.checkpoint_size_GB, CHECKPOINT_BYTES / 2 ** 30)

    for (const rank of [0, 1]) {
      const stats = JSON.parse(readFileSync(join(outputDir, `${rank}_per_epoch_stats.json`), 'utf8')) as PerEpochStats
      assert.deepEqual(Object.keys(stats['1']), ['start', 'save_ckpt1', 'save_ckpt2', 'save_ckpt3', 'load_ckpt1', 'load_ckpt2', 'load_ckpt3', 'end'])
    }
    const rank0 = JSON.parse(readFileSync(join(outputDir, '0_per_epoch_stats.json'), 'utf8')) as PerEpochStats
    for (const [prefix, key] of [['save', 'save_checkpoint'], ['load', 'load_checkpoint']] as const) {
      const entries = [1, 2, 3].map(n => rank0['1'][`${prefix}_ckpt${n}`] as CheckpointEntry)
      for (const entry of entries) {
        assert.equal(entry.duration, (micros(entry.end) - micros(entry.start)) / 1e6)
        assert.equal(entry.throughput, CHECKPOINT_BYTES / 2 ** 30 / entry.duration, 'GiB of the whole checkpoint over rank 0\'s duration')
      }
      const rates = entries.map(e => e.throughput)
      const mean = rates.reduce((a, b) => a + b, 0) / rates.length
      assert.ok(close(summary.metric[`${key}_io_mean_GB_per_second`] as number, mean))
      const durations = entries.map(e => e.duration)
      assert.ok(close(summary.metric[`${key}_duration_mean_seconds`] as number, durations.reduce((a, b) => a + b, 0) / 3))
    }
    assert.equal(result.bytesWritten, 3 * CHECKPOINT_BYTES)
    assert.ok((result.writeEndToReadStartSeconds ?? 0) >= 0.02, 'the gap holds at least the pause before the first read')
    assert.deepEqual(result.cacheClear, {required: false, cleared: false})
    assert.deepEqual(events.at(-1), {phase: 'load', checkpoint: 3, checkpoints: 3, bytesDone: 6 * CHECKPOINT_BYTES, bytesTotal: 6 * CHECKPOINT_BYTES})
    assert.ok(events.some(e => e.phase === 'save' && e.checkpoint === 2))
    const log = readFileSync(join(outputDir, 'dlio.log'), 'utf8')
    assert.match(log, /Finished saving checkpoint 3 for epoch 1 in [\d.]+ s; Throughput: [\d.]+ GiB\/s/)
    assert.match(log, /\[METRIC\] Checkpoint load I\/O Throughput \(GiB\/second\): [\d.]+ \([\d.]+\)/)
  })

  it('a read-only run reads what a write-only run left, and refuses checkpoints of another layout', async () => {
    const folder = scratch.dir('pair')
    const common = {folder, ranks: RANKS, timeBetweenCheckpoints: 0, fsync: false, clearCacheBetweenPhases: false}
    await runCheckpoints({...common, numCheckpointsWrite: 2, numCheckpointsRead: 0, outputDir: scratch.dir('w')})
    const read = await runCheckpoints({...common, numCheckpointsWrite: 0, numCheckpointsRead: 2, outputDir: scratch.dir('r')})
    assert.deepEqual(Object.keys(read.summary.metric), ['load_checkpoint_io_mean_GB_per_second', 'load_checkpoint_io_stdev_GB_per_second', 'load_checkpoint_duration_mean_seconds', 'load_checkpoint_duration_stdev_seconds', 'checkpoint_size_GB'])
    await assert.rejects(runCheckpoints({...common, numCheckpointsWrite: 0, numCheckpointsRead: 3, outputDir: scratch.dir('r3')}), /global_epoch1_step3\/zero_pp_rank_0_mp_rank_0_model_states.pt is missing/)
    const other = RANKS.map(files => files.map(f => ({...f, bytes: f.bytes * 2})))
    await assert.rejects(runCheckpoints({...common, ranks: other, numCheckpointsWrite: 0, numCheckpointsRead: 1, outputDir: scratch.dir('rx')}), /has 300000 bytes, not 600000/)
  })

  it('stops promptly when aborted, in the pause before a checkpoint', async () => {
    const abort = new AbortController()
    const started = performance.now()
    setTimeout(() => abort.abort('SIGINT'), 200)
    await assert.rejects(runCheckpoints({
      folder: scratch.dir('abort'), ranks: RANKS, numCheckpointsWrite: 10, numCheckpointsRead: 10, timeBetweenCheckpoints: 30, fsync: false,
      clearCacheBetweenPhases: false, outputDir: scratch.dir('abort-out'), signal: abort.signal,
    }), {name: 'AbortError'})
    assert.ok(performance.now() - started < 10_000, 'the 30 s pause was cut short')
  })
})

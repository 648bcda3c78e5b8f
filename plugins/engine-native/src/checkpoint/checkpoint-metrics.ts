import {mean, populationStdev} from '../training/dlio-metrics.js'
import {dlioTimestamp} from '../training/wall-clock.js'
import type {CheckpointPhase} from './checkpoint-protocol.js'

const GiB = 2 ** 30

/** One rank's `save_ckpt<n>` / `load_ckpt<n>` entry of `<rank>_per_epoch_stats.json` (engines.md §2.3). */
export interface CheckpointEntry {
  start: string
  end: string
  /** seconds, float, from the two timestamps (microseconds, as DLIO's datetime difference) */
  duration: number
  /** GiB/s: the whole checkpoint's size over this rank's duration */
  throughput: number
}

/** DLIO's `checkpoint_size_GB`: every rank's bytes of one checkpoint, in GiB. */
export function checkpointSizeGiB(checkpointBytes: number): number {
  return checkpointBytes / GiB
}

/**
 * `end_save_ckpt` / `end_load_ckpt` (engines.md §2.7): duration = end − start
 * of this rank's own timer; throughput = checkpoint_size_GB / duration. On
 * the real v3.0 SAMSUNG llama3-8b run: 104.70452117919922 / 6.695026 =
 * 15.639150793320177, the file's value.
 */
export function checkpointEntry(startWallMs: number, endWallMs: number, sizeGiB: number): CheckpointEntry {
  const duration = (Math.floor(endWallMs * 1000) - Math.floor(startWallMs * 1000)) / 1e6
  return {start: dlioTimestamp(startWallMs), end: dlioTimestamp(endWallMs), duration, throughput: duration > 0 ? sizeGiB / duration : 0}
}

export interface CheckpointMetric {
  save_checkpoint_io_mean_GB_per_second?: number
  save_checkpoint_io_stdev_GB_per_second?: number
  save_checkpoint_duration_mean_seconds?: number
  save_checkpoint_duration_stdev_seconds?: number
  load_checkpoint_io_mean_GB_per_second?: number
  load_checkpoint_io_stdev_GB_per_second?: number
  load_checkpoint_duration_mean_seconds?: number
  load_checkpoint_duration_stdev_seconds?: number
  checkpoint_size_GB: number
}

/**
 * The summary's checkpoint metric: mean and population stdev over rank 0's
 * per-checkpoint values (not total bytes over total time; rules.md §1.2),
 * a direction's keys only when it ran (the v3 fork's `len(io_save) > 0` guard).
 */
export function checkpointMetric(rank0: Record<CheckpointPhase, readonly CheckpointEntry[]>, sizeGiB: number): CheckpointMetric {
  const metric: Partial<CheckpointMetric> = {}
  for (const [phase, prefix] of [['save', 'save_checkpoint'], ['load', 'load_checkpoint']] as const) {
    const entries = rank0[phase]
    if (entries.length === 0) continue
    const rates = entries.map(e => e.throughput)
    const durations = entries.map(e => e.duration)
    Object.assign(metric, {
      [`${prefix}_io_mean_GB_per_second`]: mean(rates),
      [`${prefix}_io_stdev_GB_per_second`]: populationStdev(rates),
      [`${prefix}_duration_mean_seconds`]: mean(durations),
      [`${prefix}_duration_stdev_seconds`]: populationStdev(durations),
    })
  }
  return {...metric, checkpoint_size_GB: sizeGiB}
}

/**
 * DLIO's training metrics (engines.md §2.7), computed from the per-step
 * timings exactly as its statscounter does.
 */

/** `output.metric.exclude_start_steps` / `exclude_end_steps` defaults. */
export const EXCLUDE_START_STEPS = 1
export const EXCLUDE_END_STEPS = 0

export interface StepTimings {
  readonly proc: ArrayLike<number>
  readonly compute: ArrayLike<number>
  /** monotonic seconds at start_block / end_block */
  readonly blockStart: number
  readonly blockEnd: number
}

export interface BlockMetrics {
  /** accelerator utilization, percent */
  readonly au: number
  /** samples per second of this rank */
  readonly throughput: number
}

function sum(values: ArrayLike<number>, from: number, to: number): number {
  let total = 0
  for (let i = Math.max(0, from); i < Math.min(values.length, to); i++) total += values[i]
  return total
}

/**
 * One rank's block: with s = exclude_start_steps and e = steps − 1 − exclude_end_steps,
 * total_compute = Σ compute[s..e]; total_time = block wall time − Σ proc outside [s..e];
 * AU% = 100·total_compute/total_time.
 *
 * Throughput uses DLIO@v3fork's `len(compute[s..e]) / total_time · batch_size`
 * (mlcommons/DLIO_local_changes statscounter.py L436-470 — the DLIO that
 * mlpstorage v3.0 pins, engines.md §2.7), not v2's `(len(compute) − 2)`: the
 * v3 numerator counts exactly the steps whose time is in the denominator,
 * and it is what v3.0 submissions report. Like v3fork, an empty window or a
 * non-positive time gives 0 rather than NaN.
 */
export function blockMetrics(timings: StepTimings, batchSize: number): BlockMetrics {
  const steps = timings.compute.length
  const first = EXCLUDE_START_STEPS
  const last = steps - 1 - EXCLUDE_END_STEPS
  const windowSteps = Math.max(0, last - first + 1)
  const totalCompute = sum(timings.compute, first, last + 1)
  const totalTime = timings.blockEnd - timings.blockStart - sum(timings.proc, 0, first) - sum(timings.proc, last + 1, steps)
  if (windowSteps === 0 || !(totalTime > 0)) return {au: 0, throughput: 0}
  return {au: (100 * totalCompute) / totalTime, throughput: (windowSteps / totalTime) * batchSize}
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length
}

/** numpy's `np.std`: the population standard deviation. */
export function populationStdev(values: readonly number[]): number {
  if (values.length === 0) return 0
  const m = mean(values)
  return Math.sqrt(mean(values.map(v => (v - m) ** 2)))
}

export interface TrainingMetric {
  train_au_percentage: number[]
  train_au_mean_percentage: number
  train_au_meet_expectation: 'success' | 'fail'
  train_au_stdev_percentage: number
  train_throughput_samples_per_second: number[]
  train_throughput_mean_samples_per_second: number
  train_throughput_stdev_samples_per_second: number
  train_io_mean_MB_per_second: number
  train_io_stdev_MB_per_second: number
}

/**
 * `end_run`: per epoch AU = mean over ranks, throughput = sum over ranks;
 * mean and population stdev across epochs; I/O MiB/s from the nominal
 * record length, not the bytes read; success iff mean AU ≥ metric.au·100.
 */
export function trainingMetric(perRankEpochs: readonly (readonly BlockMetrics[])[], recordLengthBytes: number, auThreshold: number): TrainingMetric {
  const epochs = perRankEpochs[0]?.length ?? 0
  const ranks = perRankEpochs.length
  const au = Array.from({length: epochs}, (_, e) => perRankEpochs.reduce((total, rank) => total + rank[e].au, 0) / ranks)
  const throughput = Array.from({length: epochs}, (_, e) => perRankEpochs.reduce((total, rank) => total + rank[e].throughput, 0))
  const auMean = mean(au)
  return {
    train_au_percentage: au,
    train_au_mean_percentage: auMean,
    train_au_meet_expectation: auMean >= auThreshold * 100 ? 'success' : 'fail',
    train_au_stdev_percentage: populationStdev(au),
    train_throughput_samples_per_second: throughput,
    train_throughput_mean_samples_per_second: mean(throughput),
    train_throughput_stdev_samples_per_second: populationStdev(throughput),
    train_io_mean_MB_per_second: (mean(throughput) * recordLengthBytes) / 1024 / 1024,
    train_io_stdev_MB_per_second: (populationStdev(throughput) * recordLengthBytes) / 1024 / 1024,
  }
}

/**
 * The p-th percentile (0–100) of ascending `sorted` values with linear interpolation between closest
 * ranks, numpy's default (`np.percentile`), which kv-cache.py uses for every latency it reports.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const position = (sorted.length - 1) * p / 100
  const lower = Math.floor(position)
  const upper = Math.ceil(position)
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower)
}

export interface Percentiles {
  mean: number
  p50: number
  p95: number
  p99: number
  p999: number
  p9999: number
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  const mean = sorted.length === 0 ? 0 : sorted.reduce((total, value) => total + value, 0) / sorted.length
  return {mean, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), p999: percentile(sorted, 99.9), p9999: percentile(sorted, 99.99)}
}

import {availableParallelism, loadavg} from 'node:os'

export const MiB = 2 ** 20
export const GiB = 2 ** 30

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** What else the machine was doing: other tenants share its cores, and every figure of a bench moves with them. */
export function machineLoad(): {cores: number; loadAverage1m: number; loadAverage5m: number} {
  const [oneMinute, fiveMinutes] = loadavg()
  return {cores: availableParallelism(), loadAverage1m: round(oneMinute), loadAverage5m: round(fiveMinutes)}
}

import {readFileSync} from 'node:fs'
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

/** Every series of a bench's rounds, each value rounded: the raw figures behind its medians. */
export function roundEach<Key extends string>(series: Readonly<Record<Key, readonly number[]>>, digits = 2): Record<Key, number[]> {
  return Object.fromEntries(Object.entries<readonly number[]>(series).map(([key, values]) => [key, values.map(value => round(value, digits))])) as Record<Key, number[]>
}

/** Rank 0's first epoch in seconds, start → end in its per_epoch_stats.json: the engine's own time, as a baseline's figure covers only its I/O. */
export function firstEpochSeconds(perEpochStatsFile: string): number {
  const stats = JSON.parse(readFileSync(perEpochStatsFile, 'utf8')) as Record<string, {start: string; end: string}>
  return (Date.parse(stats['1'].end) - Date.parse(stats['1'].start)) / 1000
}

/** The rounds of a native read against the same rounds of a baseline (fio, plain GETs). */
export interface ReadRounds {
  /** MiB/s over the epoch's own time */
  native: readonly number[]
  /** MiB/s over the whole call, thread start-up and outputs included */
  nativeWithStartup: readonly number[]
  baseline: readonly number[]
}

export type ReadThroughputFigures<Baseline extends string> =
  Record<'native_MiBps' | `${Baseline}_MiBps` | 'ratio' | 'native_with_startup_MiBps' | 'ratio_with_startup', number>

/** Medians of the rounds: each side's MiB/s and native ÷ baseline, without and with the native run's start-up. */
export function readThroughputFigures<Baseline extends string>(baseline: Baseline, rounds: ReadRounds): ReadThroughputFigures<Baseline> {
  const native = median(rounds.native)
  const withStartup = median(rounds.nativeWithStartup)
  const base = median(rounds.baseline)
  return {
    native_MiBps: round(native),
    [`${baseline}_MiBps`]: round(base),
    ratio: round(native / base),
    native_with_startup_MiBps: round(withStartup),
    ratio_with_startup: round(withStartup / base),
  } as ReadThroughputFigures<Baseline>
}

/** The fastest of three timed calls, in ms: the run least disturbed by the machine's other work. */
export async function bestOfThreeMs(work: () => Promise<unknown>): Promise<number> {
  const time = async () => {
    const start = performance.now()
    await work()
    return performance.now() - start
  }
  return Math.min(await time(), await time(), await time())
}

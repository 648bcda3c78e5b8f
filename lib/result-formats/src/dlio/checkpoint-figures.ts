import type {LoadedRun} from 'mlps'
import type {ImpossibleFigure, MissingInputs, ThroughputBound} from '../bounds/throughput-possible.js'
import {type CheckpointStatsDocument, checkpointStatsOf} from './checkpoint-stats.js'
import {dlioSummariesOf} from './read-dlio-run.js'

/** measured figures may miss a bound computed from other measured figures by rounding and timer jitter, never by more */
const TOLERANCE = 0.02
const DIRECTIONS = [
  {name: 'save', count: 'checkpoint.num_checkpoints_write', phase: /^(?:save_)?ckpt\d+$/},
  {name: 'load', count: 'checkpoint.num_checkpoints_read', phase: /^load_ckpt\d+$/},
] as const

interface CheckpointThroughputInputs {
  /** GiB: DLIO's checkpoint_size_GB, the whole checkpoint over every rank */
  sizeGiB: number
  /** seconds from the summary's start to its end */
  runSeconds?: number
  stats?: CheckpointStatsDocument
}

const positive = (value: unknown): number | undefined => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined
}

function parameterAt(run: LoadedRun, path: string): unknown {
  return path.split('.').reduce<unknown>((current, key) => current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined, run.parameters)
}

export function checkpointThroughputInputs(run: LoadedRun): CheckpointThroughputInputs | MissingInputs {
  const [first] = dlioSummariesOf(run)
  const sizeGiB = positive(first?.summary.metric.checkpoint_size_GB) ?? positive(run.metrics.checkpoint_size_GB)
  if (sizeGiB === undefined) return {missing: ['checkpoint_size_GB']}
  const started = first?.summary.start ? Date.parse(first.summary.start) : Number.NaN
  const ended = first?.summary.end ? Date.parse(first.summary.end) : Number.NaN
  const runSeconds = ended > started ? (ended - started) / 1000 : undefined
  const stats = checkpointStatsOf(run)
  return {sizeGiB, ...(runSeconds ? {runSeconds} : {}), ...(stats ? {stats} : {})}
}

/**
 * Checkpoint figures no run can report (engines.md: DLIO's per-checkpoint throughput is
 * checkpoint_size_GB / that checkpoint's duration; the summary's mean is the mean of those rates):
 * a checkpoint's throughput above its bytes over its measured time; a mean rate above the fastest
 * checkpoint's (from rank 0's stats, else the shortest duration the mean and stdev allow, Samuelson's
 * bound d̄ − s·√(n−1)), or below the size over the mean duration (a mean of rates never is, AM ≥ HM);
 * and checkpoints whose durations add up to more than the run lasted.
 */
export function impossibleCheckpointFigures(run: LoadedRun, inputs: CheckpointThroughputInputs): ImpossibleFigure[] {
  const {sizeGiB, runSeconds, stats} = inputs
  const sources = [
    {file: run.sources.record ?? run.sources.summary ?? run.path, prefix: run.sources.record ? 'metrics.' : 'metric.', metrics: run.metrics as Record<string, unknown>},
    ...run.sources.record ? dlioSummariesOf(run).map(({file, summary}) => ({file, prefix: 'metric.', metrics: summary.metric as Record<string, unknown>})) : [],
  ]
  const figures: ImpossibleFigure[] = []
  for (const direction of DIRECTIONS) {
    const phases = (stats?.epochs ?? []).flatMap(epoch => Object.entries(epoch.checkpoints).filter(([name]) => direction.phase.test(name)).map(([name, phase]) => ({epoch: epoch.epoch, name, phase})))
    const rates: number[] = []
    for (const {epoch, name, phase} of phases) {
      const duration = positive(phase.durationSeconds)
      if (duration === undefined) continue
      rates.push(sizeGiB / duration)
      const throughput = phase.throughput
      if (typeof throughput === 'number' && throughput > sizeGiB / duration * (1 + TOLERANCE)) {
        figures.push({message: `${stats!.file}: epoch ${epoch} ${name} throughput = ${throughput} GiB/s is more than its ${sizeGiB} GiB over its ${duration} s allow (${(sizeGiB / duration).toPrecision(6)} GiB/s)`,
          evidence: [{file: stats!.file, path: `${epoch}.${name}.throughput`, value: throughput}, {file: stats!.file, path: `${epoch}.${name}.duration`, value: duration}]})
      }
    }
    const count = phases.length > 0 ? phases.length : positive(parameterAt(run, direction.count))
    for (const {file, prefix, metrics} of sources) {
      const meanKey = `${direction.name}_checkpoint_io_mean_GB_per_second`
      const durationKey = `${direction.name}_checkpoint_duration_mean_seconds`
      const mean = metrics[meanKey]
      const duration = positive(metrics[durationKey])
      const stdev = metrics[`${direction.name}_checkpoint_duration_stdev_seconds`]
      if (typeof mean === 'number') {
        const shortest = count !== undefined && duration !== undefined && typeof stdev === 'number' && stdev >= 0 ? duration - stdev * Math.sqrt(count - 1) : undefined
        const ceiling = rates.length > 0 ? Math.max(...rates) : shortest !== undefined && shortest > 0 ? sizeGiB / shortest : undefined
        if (ceiling !== undefined && mean > ceiling * (1 + TOLERANCE)) {
          figures.push({message: `${file}: ${meanKey} = ${mean} GiB/s is more than the fastest checkpoint allows: ${sizeGiB} GiB in ${(sizeGiB / ceiling).toPrecision(6)} s${rates.length > 0 ? ` (${stats!.file})` : ` (the shortest of ${count} durations of mean ${duration} s and stdev ${stdev} s)`} is ${ceiling.toPrecision(6)} GiB/s`,
            evidence: [{file, path: `${prefix}${meanKey}`, value: mean}]})
        }
        if (duration !== undefined && mean < sizeGiB / duration * (1 - TOLERANCE)) {
          figures.push({message: `${file}: ${meanKey} = ${mean} GiB/s is less than ${sizeGiB} GiB over the mean duration ${duration} s (${(sizeGiB / duration).toPrecision(6)} GiB/s), which a mean of per-checkpoint rates never is`,
            evidence: [{file, path: `${prefix}${meanKey}`, value: mean}, {file, path: `${prefix}${durationKey}`, value: duration}]})
        }
      }
      if (duration !== undefined && count !== undefined && runSeconds !== undefined && count * duration > runSeconds * (1 + TOLERANCE)) {
        figures.push({message: `${file}: ${count} checkpoint ${direction.name}s of ${durationKey} = ${duration} s take ${(count * duration).toPrecision(6)} s, more than the ${runSeconds} s the run lasted`,
          evidence: [{file, path: `${prefix}${durationKey}`, value: duration}]})
      }
    }
  }
  return figures
}

/** A checkpointing run's GiB/s and durations against its checkpoint size, its checkpoints' own times and the run's duration. */
export const checkpointThroughputBound: ThroughputBound<CheckpointThroughputInputs> = {inputs: checkpointThroughputInputs, impossible: impossibleCheckpointFigures}

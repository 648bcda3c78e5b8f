import type {HeadlineFigure, RunHeadline, RunRecord} from 'mlps'

const number = (value: unknown): number | null => typeof value === 'number' && Number.isFinite(value) ? value : null

const DIRECTIONS = [['write', 'save'], ['read', 'load']] as const

/**
 * A checkpointing run's headline (rules.md §1.2): per direction the mean
 * GiB/s and the mean duration of one checkpoint, and the seconds from the
 * last write's end to the first read's start (Rules 4.7.1). An invocation
 * that only wrote or only read shows its own direction.
 */
export function checkpointingHeadline(record: RunRecord): RunHeadline | undefined {
  const m = record.metrics
  const figures: HeadlineFigure[] = []
  for (const [direction, prefix] of DIRECTIONS) {
    const bandwidth = `${prefix}_checkpoint_io_mean_GB_per_second`
    const duration = `${prefix}_checkpoint_duration_mean_seconds`
    if (number(m[bandwidth]) === null && number(m[duration]) === null) continue
    figures.push(
      {id: `${direction}_GiB_per_second`, label: `${direction}`, value: number(m[bandwidth]), unit: 'GiB/s', source: `metrics.${bandwidth}`},
      {id: `${direction}_duration_seconds`, label: `${direction} duration`, value: number(m[duration]), unit: 's per checkpoint', source: `metrics.${duration}`},
    )
  }
  const gap = number((record.extra.checkpointing as {writeEndToReadStartSeconds?: unknown} | undefined)?.writeEndToReadStartSeconds)
  if (gap !== null) {
    figures.push({id: 'write_to_read_gap_seconds', label: 'write→read gap', value: gap, unit: 's', source: 'extra.checkpointing.writeEndToReadStartSeconds'})
  }
  const size = number(m.checkpoint_size_GB)
  if (figures.length === 0) return undefined
  if (size !== null) figures.push({id: 'checkpoint_GiB', label: 'checkpoint size', value: size, unit: 'GiB', source: 'metrics.checkpoint_size_GB'})
  return {sections: [{figures}]}
}

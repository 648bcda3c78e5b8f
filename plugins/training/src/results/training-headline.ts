import type {HeadlineFigure, RunHeadline, RunRecord} from 'mlps'

type Value = HeadlineFigure['value']

const number = (value: unknown): number | null => typeof value === 'number' && Number.isFinite(value) ? value : null
const numbers = (value: unknown): readonly number[] | null => Array.isArray(value) && value.every(v => typeof v === 'number') ? value as number[] : null

/**
 * A training run's headline (rules.md §1.1): AU per epoch and its mean
 * against the workload's threshold, samples/s and MiB/s in total and per
 * accelerator. Both engines write DLIO's summary metrics into the record.
 */
export function trainingHeadline(record: RunRecord): RunHeadline | undefined {
  const m = record.metrics
  if (number(m.train_au_mean_percentage) === null && number(m.train_throughput_mean_samples_per_second) === null) return undefined
  const accelerators = record.numProcesses
  const threshold = number((record.parameters.effective.metric as {au?: unknown} | undefined)?.au)
  const meets = m.train_au_meet_expectation
  const perAccelerator = (id: string, label: string, metric: string, unit: string): HeadlineFigure[] => {
    const total = number(m[metric])
    if (!accelerators || total === null) return []
    return [{id, label, value: total / accelerators, unit, source: `metrics.${metric} / numProcesses`}]
  }
  const figure = (id: string, label: string, metric: string, value: Value, unit: string, note?: string): HeadlineFigure =>
    ({id, label, value, unit, source: `metrics.${metric}`, ...(note ? {note} : {})})
  const auNote = [threshold === null ? undefined : `threshold ${(threshold * 100).toFixed(0)} %`, typeof meets === 'string' ? (meets === 'success' ? 'met' : 'not met') : undefined]
    .filter(Boolean).join(': ')
  return {
    sections: [{
      figures: [
        figure('au_mean', 'AU (mean)', 'train_au_mean_percentage', number(m.train_au_mean_percentage), '%', auNote || undefined),
        figure('au_per_epoch', 'AU per epoch', 'train_au_percentage', numbers(m.train_au_percentage), '%'),
        figure('samples_per_second', 'throughput', 'train_throughput_mean_samples_per_second', number(m.train_throughput_mean_samples_per_second), 'samples/s',
          accelerators ? `${accelerators} accelerator${accelerators > 1 ? 's' : ''}` : undefined),
        ...perAccelerator('samples_per_second_per_accelerator', 'throughput per accelerator', 'train_throughput_mean_samples_per_second', 'samples/s'),
        figure('samples_per_second_per_epoch', 'throughput per epoch', 'train_throughput_samples_per_second', numbers(m.train_throughput_samples_per_second), 'samples/s'),
        figure('mib_per_second', 'I/O', 'train_io_mean_MB_per_second', number(m.train_io_mean_MB_per_second), 'MiB/s'),
        ...perAccelerator('mib_per_second_per_accelerator', 'I/O per accelerator', 'train_io_mean_MB_per_second', 'MiB/s'),
      ],
    }],
  }
}

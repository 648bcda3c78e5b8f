import {type BenchmarkReport, type ReportCell} from 'mlps'
import {cellOf, finiteMetric, mean, runLabel} from 'mlps/unstable'

const DIRECTIONS = [['write', 'save'], ['read', 'load']] as const

/**
 * The checkpointing row: per direction, the mean of DLIO's scalar over the
 * invocations that did that direction (rules.md §1.2 "Reported metric").
 */
export const checkpointingReport: BenchmarkReport = {
  columns: [
    {id: 'checkpoint_write_GiB_per_second', label: 'write GiB/s'},
    {id: 'checkpoint_write_duration_seconds', label: 'write s'},
    {id: 'checkpoint_read_GiB_per_second', label: 'read GiB/s'},
    {id: 'checkpoint_read_duration_seconds', label: 'read s'},
  ],
  headline: {column: 'checkpoint_write_GiB_per_second', label: 'checkpoint write GiB/s'},
  aggregate(_group, counted) {
    const cells: Record<string, ReportCell> = {}
    for (const [direction, prefix] of DIRECTIONS) {
      const bandwidth = `${prefix}_checkpoint_io_mean_GB_per_second`
      const duration = `${prefix}_checkpoint_duration_mean_seconds`
      const doing = counted.filter(run => finiteMetric(run.metrics[bandwidth]) !== undefined)
      const reason = counted.length === 0 ? 'no counted runs' : `no invocation reports ${bandwidth}`
      cells[`checkpoint_${direction}_GiB_per_second`] = cellOf(mean(doing.map(run => finiteMetric(run.metrics[bandwidth]) as number)), reason)
      const durations = doing.map(run => finiteMetric(run.metrics[duration]))
      cells[`checkpoint_${direction}_duration_seconds`] = cellOf(durations.every(value => value !== undefined) ? mean(durations as number[]) : undefined,
        durations.length === 0 ? reason : `${duration} missing in an invocation`)
    }
    return cells
  },
  runFigures: run => ({
    'write GiB/s': finiteMetric(run.metrics.save_checkpoint_io_mean_GB_per_second),
    'read GiB/s': finiteMetric(run.metrics.load_checkpoint_io_mean_GB_per_second),
  }),
  charts: runs => [{
    title: 'Checkpoint bandwidth', unit: 'GiB/s',
    bars: runs.flatMap(({run}, index) => [
      {label: `${runLabel(run, index)}\nwrite`, value: finiteMetric(run.metrics.save_checkpoint_io_mean_GB_per_second)},
      {label: `${runLabel(run, index)}\nread`, value: finiteMetric(run.metrics.load_checkpoint_io_mean_GB_per_second)},
    ]),
  }],
}

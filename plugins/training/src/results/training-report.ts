import {type BenchmarkReport, type ReportChart} from 'mlps'
import {cellOf, finiteMetric, mean, meanCell, runLabel, stdevCell, valuesOver} from 'mlps/unstable'

const SAMPLES = 'train_throughput_mean_samples_per_second'
const MIB = 'train_io_mean_MB_per_second'
const AU = 'train_au_mean_percentage'

/** The training row: DLIO's throughput and AU over the counted runs (rules.md §1.1 "Reported metric"). */
export const trainingReport: BenchmarkReport = {
  columns: [
    {id: 'train_throughput_mean_samples_per_second', label: 'samples/s (mean)'},
    {id: 'train_throughput_stdev_samples_per_second', label: 'samples/s (stdev)'},
    {id: 'train_io_mean_MiB_per_second', label: 'MiB/s (mean)'},
    {id: 'train_io_stdev_MiB_per_second', label: 'MiB/s (stdev)'},
    {id: 'train_read_bw_GiB_per_second', label: 'read GiB/s'},
    {id: 'train_au_mean_percentage', label: 'AU % (mean)'},
  ],
  headline: {column: 'train_read_bw_GiB_per_second', label: 'training read GiB/s'},
  aggregate(_group, counted) {
    const mib = valuesOver(counted, MIB)
    // the v3.0 table's "Read B/W (GiB/s)" = fmean(MiB/s) / 1024
    const mibMean = mib.values && mean(mib.values)
    return {
      train_throughput_mean_samples_per_second: meanCell(counted, SAMPLES),
      train_throughput_stdev_samples_per_second: stdevCell(counted, SAMPLES),
      train_io_mean_MiB_per_second: meanCell(counted, MIB),
      train_io_stdev_MiB_per_second: stdevCell(counted, MIB),
      train_read_bw_GiB_per_second: cellOf(mibMean === undefined ? undefined : mibMean / 1024, mib.reason ?? ''),
      train_au_mean_percentage: meanCell(counted, AU),
    }
  },
  runFigures: run => ({'samples/s': finiteMetric(run.metrics[SAMPLES]), 'MiB/s': finiteMetric(run.metrics[MIB]), 'AU %': finiteMetric(run.metrics[AU])}),
  charts(runs, metrics) {
    const samplesMean = metrics.train_throughput_mean_samples_per_second
    const au = (runs.find(({counted}) => counted)?.run.parameters.metric as {au?: unknown} | undefined)?.au
    const charts: ReportChart[] = [
      {title: 'Throughput per run', unit: 'samples/s', bars: runs.map(({run, counted}, index) => ({label: runLabel(run, index), value: finiteMetric(run.metrics[SAMPLES]), faded: !counted})),
        lines: typeof samplesMean === 'number' ? [{value: samplesMean, label: 'mean', kind: 'mean'}] : []},
      {title: 'Accelerator utilization per run', unit: '%', bars: runs.map(({run, counted}, index) => ({label: runLabel(run, index), value: finiteMetric(run.metrics[AU]), faded: !counted})),
        lines: typeof au === 'number' ? [{value: au * 100, label: 'threshold', kind: 'threshold'}] : []},
    ]
    return charts
  },
}

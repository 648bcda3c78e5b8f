import {cpuBusyPercent} from '../cluster/deltas.js'
import type {HostSample, TimeSeries} from '../cluster/time-series.js'

/** diskstats counts 512-byte sectors whatever the device's block size */
const SECTOR_BYTES = 512
const MB = 1e6
/** layered or virtual block devices: their I/O is a disk's I/O counted again */
const LAYERED_DISK = /^(dm-|md|loop|ram|zram|nbd|sr)/

export interface RateSeries {
  name: string
  /** one value per interval, at `times` */
  values: number[]
}

/** One host's counters turned into rates over each interval between two samples. */
export interface HostRates {
  host: string
  /** seconds since the run's sampling started, at each interval's end */
  times: number[]
  cpuBusyPercent: number[]
  diskReadMBps: RateSeries[]
  diskWriteMBps: RateSeries[]
  networkRxMBps: RateSeries[]
  networkTxMBps: RateSeries[]
}

/** Partitions repeat their disk's I/O: drop a name that is another listed name plus a partition number (sda1, nvme0n1p2). */
function wholeDisks(names: readonly string[]): Set<string> {
  const all = new Set(names)
  return new Set(names.filter(name => !LAYERED_DISK.test(name) && ![...all].some(disk => disk !== name && name.startsWith(disk) && /^p?\d+$/.test(name.slice(disk.length)))))
}

function perDevice<T extends {name: string}>(pairs: ReadonlyArray<[HostSample, HostSample]>, seconds: readonly number[], list: (sample: HostSample) => readonly T[], keep: (name: string) => boolean, bytes: (counter: T) => number): RateSeries[] {
  const names = [...new Set(pairs.flatMap(([, after]) => list(after).map(counter => counter.name)))].filter(keep).sort()
  return names.map(name => ({
    name,
    values: pairs.map(([before, after], index) => {
      const first = list(before).find(counter => counter.name === name)
      const last = list(after).find(counter => counter.name === name)
      // a counter that appears, vanishes or goes back (a device reset) says nothing about that interval
      if (!first || !last || bytes(last) < bytes(first)) return 0
      return (bytes(last) - bytes(first)) / seconds[index] / MB
    }),
  }))
}

/**
 * The rates a storage engineer reads from a run's time series, per host: CPU busy, disk read and
 * write MB/s per whole disk, network receive and send MB/s per interface (loopback left out).
 * The collectors write cumulative counters; a rate is the difference of two consecutive samples
 * over the time between them, by the host's own clock. Intervals of zero or negative length
 * (a clock step) are skipped rather than divided by. Times count from the host's first sample.
 */
export function hostRates(series: Pick<TimeSeries, 'samplesByHost'>): HostRates[] {
  return Object.entries(series.samplesByHost).flatMap(([host, samples]) => {
    const pairs: Array<[HostSample, HostSample]> = []
    const seconds: number[] = []
    for (let index = 1; index < samples.length; index++) {
      const elapsed = (Date.parse(samples[index].time) - Date.parse(samples[index - 1].time)) / 1000
      if (!(elapsed > 0)) continue
      pairs.push([samples[index - 1], samples[index]])
      seconds.push(elapsed)
    }
    if (pairs.length === 0) return []
    // each host's own first sample: a remote host's clock may be off the controller's
    const start = Date.parse(samples[0].time)
    const disks = wholeDisks([...new Set(samples.flatMap(sample => sample.volatile.disks.map(disk => disk.name)))])
    const nic = (name: string) => name !== 'lo'
    return [{
      host,
      times: pairs.map(([, after]) => (Date.parse(after.time) - start) / 1000),
      cpuBusyPercent: pairs.map(([before, after]) => cpuBusyPercent(before.volatile.cpuTimes, after.volatile.cpuTimes) ?? 0),
      diskReadMBps: perDevice(pairs, seconds, sample => sample.volatile.disks, name => disks.has(name), disk => disk.sectorsRead * SECTOR_BYTES),
      diskWriteMBps: perDevice(pairs, seconds, sample => sample.volatile.disks, name => disks.has(name), disk => disk.sectorsWritten * SECTOR_BYTES),
      networkRxMBps: perDevice(pairs, seconds, sample => sample.volatile.network, nic, counter => counter.rxBytes),
      networkTxMBps: perDevice(pairs, seconds, sample => sample.volatile.network, nic, counter => counter.txBytes),
    }]
  })
}

import type {ProgressUpdate} from 'mlps/unstable'
import {formatCount} from 'mlps/unstable'
import type {CheckpointProgress} from '../checkpoint/run-checkpoints.js'
import type {KvHostProgress} from '../kvcache/host-passes.js'
import type {DatagenProgress} from '../training/datagen.js'
import type {TrainingProgress} from '../training/run.js'
import type {HostReport} from './rendezvous-server.js'

type HostLine = NonNullable<ProgressUpdate['hosts']>[number]

/**
 * The live view of a run over hosts, from what each host's worker last reported (HostReport): one
 * line per host and the run's own figures over all of them. Undefined until some host reported.
 */
export type HostsProgressView = (reports: readonly HostReport[]) => ProgressUpdate | undefined

function reported<P>(reports: readonly HostReport[]): Array<HostReport & {progress: P}> {
  return reports.filter((report): report is HostReport & {progress: P} => report.progress !== undefined)
}

/**
 * Training: each host's steps, samples so far, samples/s, MiB/s and AU of its accelerators; the run's
 * samples/s and MiB/s are the hosts' summed, AU the mean over every accelerator (as the metric averages
 * ranks), and its step count the slowest host's (the per-step barrier keeps them together).
 */
export function trainingHostsView(batchSize: number): HostsProgressView {
  return reports => {
    const withProgress = reported<TrainingProgress>(reports)
    if (withProgress.length === 0) return undefined
    const {epochs, stepsPerEpoch} = withProgress[0].progress
    const stepsOf = (p: TrainingProgress) => (p.epoch - 1) * p.stepsPerEpoch + p.step
    const hosts = reports.map((report): HostLine => {
      const p = report.progress as TrainingProgress | undefined
      if (!p) return {host: report.host, done: 0, total: epochs * stepsPerEpoch, fields: {state: report.state}}
      return {
        host: report.host, done: stepsOf(p), total: p.epochs * p.stepsPerEpoch,
        figures: [{value: p.samplesPerSecond, unit: 'samples/s'}, {value: p.mibPerSecond, unit: 'MiB/s'}, {name: 'AU', value: p.auPercent, unit: '%'}],
        fields: {epoch: `${p.epoch}/${p.epochs}`, samples: formatCount(stepsOf(p) * batchSize * report.ranks.length), state: report.state},
      }
    })
    const slowest = reports.length === withProgress.length ? Math.min(...withProgress.map(r => stepsOf(r.progress))) : 0
    const accelerators = withProgress.reduce((sum, r) => sum + r.ranks.length, 0)
    const etas = withProgress.map(r => r.progress.etaSeconds).filter((eta): eta is number => eta !== undefined)
    const epoch = Math.min(...withProgress.map(r => r.progress.epoch))
    return {
      done: slowest, total: epochs * stepsPerEpoch, unit: 'items', hosts,
      figures: [
        {value: sum(withProgress.map(r => r.progress.samplesPerSecond)), unit: 'samples/s'},
        {value: sum(withProgress.map(r => r.progress.mibPerSecond)), unit: 'MiB/s'},
        {name: 'AU', value: sum(withProgress.map(r => r.progress.auPercent * r.ranks.length)) / accelerators, unit: '%'},
      ],
      fields: {epoch: `${epoch}/${epochs}`},
      ...(etas.length > 0 ? {etaSeconds: Math.max(...etas)} : {}),
    }
  }
}

/** Datagen: the bytes and files each host wrote of its share (kept ones counted done), and its write rate. */
export const datagenHostsView: HostsProgressView = reports => {
  const withProgress = reported<DatagenProgress>(reports)
  if (withProgress.length === 0) return undefined
  const hosts = reports.map((report): HostLine => {
    const p = report.progress as DatagenProgress | undefined
    return p
      ? {host: report.host, done: p.bytesDone, total: p.bytesTotal, figures: [{value: p.bytesPerSecond / 2 ** 20, unit: 'MiB/s'}], fields: {files: `${formatCount(p.filesDone)}/${formatCount(p.filesTotal)}`, state: report.state}}
      : {host: report.host, done: 0, fields: {state: report.state}}
  })
  const all = reports.length === withProgress.length
  const files = sum(withProgress.map(r => r.progress.filesDone))
  return {
    done: sum(withProgress.map(r => r.progress.bytesDone)), ...(all ? {total: sum(withProgress.map(r => r.progress.bytesTotal))} : {}), unit: 'bytes', hosts,
    figures: [{value: sum(withProgress.map(r => r.progress.bytesPerSecond)) / 2 ** 20, unit: 'MiB/s'}],
    fields: {files: all ? `${formatCount(files)}/${formatCount(sum(withProgress.map(r => r.progress.filesTotal)))}` : formatCount(files)},
  }
}

/** Checkpointing: the bytes each host's ranks wrote or read of their share, and which checkpoint it is at. */
export const checkpointHostsView: HostsProgressView = reports => {
  const withProgress = reported<CheckpointProgress>(reports)
  if (withProgress.length === 0) return undefined
  const phaseOf = (p: CheckpointProgress) => `${p.phase === 'save' ? 'write' : 'read'} ${p.checkpoint}/${p.checkpoints}`
  const hosts = reports.map((report): HostLine => {
    const p = report.progress as CheckpointProgress | undefined
    return p ? {host: report.host, done: p.bytesDone, total: p.bytesTotal, fields: {checkpoint: phaseOf(p), state: report.state}} : {host: report.host, done: 0, fields: {state: report.state}}
  })
  const total = reports.length === withProgress.length ? sum(withProgress.map(r => r.progress.bytesTotal)) : undefined
  return {
    done: sum(withProgress.map(r => r.progress.bytesDone)), ...(total === undefined ? {} : {total}), unit: 'bytes', hosts,
    fields: {checkpoint: phaseOf(withProgress[0].progress)},
  }
}

/** KV cache: the requests each host's ranks completed in the current pass, and their rate. */
export const kvcacheHostsView: HostsProgressView = reports => {
  const withProgress = reported<KvHostProgress>(reports)
  if (withProgress.length === 0) return undefined
  const rate = (p: KvHostProgress) => p.seconds > 0 ? p.requests / p.seconds : 0
  const hosts = reports.map((report): HostLine => {
    const p = report.progress as KvHostProgress | undefined
    return p
      ? {host: report.host, done: p.requests, figures: [{value: rate(p), unit: 'requests/s'}], fields: {pass: `${p.pass}/${p.passes}`, state: report.state}}
      : {host: report.host, done: 0, fields: {state: report.state}}
  })
  const requests = sum(withProgress.map(r => r.progress.requests))
  const {pass, passes} = withProgress[0].progress
  return {done: requests, unit: 'items', hosts, figures: [{value: sum(withProgress.map(r => rate(r.progress))), unit: 'requests/s'}], fields: {pass: `${pass}/${passes}`, requests: String(requests)}}
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

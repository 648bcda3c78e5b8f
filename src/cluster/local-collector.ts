import {hostname} from 'node:os'
import type {CollectorDefinition, HostSampler, HostSnapshotRequest, SamplerRequest} from '../registry/definitions.js'
import {buildSnapshot, type HostReport} from './build-snapshot.js'
import {gatherLocal} from './gather-local.js'
import type {ClusterSnapshot, HostFailure} from './host-facts.js'
import {volatileFromRaw} from './host-facts-from-raw.js'
import {isLocalHost} from '../hosts/local-host.js'
import {SampleBook, type TimeSeries} from './time-series.js'

/**
 * The core's own collector: every host can read its own facts, so this one
 * needs no plugin. It answers for the names that mean this machine and
 * reports every other host as missing, with the collector that would reach it.
 */
export const localCollector: CollectorDefinition = {
  name: 'local',
  description: 'Read this host\'s facts in-process (hosts other than this one are reported missing)',
  async snapshot(request: HostSnapshotRequest): Promise<ClusterSnapshot> {
    const startedAt = new Date()
    const reports: HostReport[] = []
    const missing: HostFailure[] = []
    for (const {name} of request.hosts) {
      if (isLocalHost(name)) reports.push({host: name, raw: gatherLocal('snapshot', request.probe?.path), clock: {offsetMs: 0, uncertaintyMs: 0}})
      else missing.push(notLocal(name))
    }
    return buildSnapshot({collector: 'local', requestedHosts: request.hosts.map(h => h.name), startedAt, reports, missing, probe: request.probe})
  },
  async startSampler(request: SamplerRequest): Promise<HostSampler> {
    return startLocalSampler(request.hosts.map(h => h.name), request.intervalSeconds, 'local')
  },
}

export function notLocal(host: string): HostFailure {
  return {host, reason: 'not-local', message: `${host} is not this host (${hostname()}); the local collector reads only this host: use --collector ssh or --collector mpi`}
}

/**
 * Sample this host's counters on a timer, synchronously (a few small /proc
 * reads, no process), first sample at once. `hosts` are the local names to
 * file the samples under; non-local names are reported missing.
 */
export function startLocalSampler(hosts: readonly string[], intervalSeconds: number, collector: string): HostSampler {
  const local = hosts.filter(isLocalHost)
  const missing = hosts.filter(host => !isLocalHost(host)).map(notLocal)
  const book = new SampleBook(local)
  const startedAt = new Date()
  const sample = () => {
    if (local.length === 0) return
    const begin = performance.now()
    const raw = gatherLocal('sample')
    const entry = {time: new Date(raw.timeMs).toISOString(), volatile: volatileFromRaw(raw)}
    const controllerMs = performance.now() - begin
    // one read serves every alias of this host (localhost, its name): they are the same counters
    for (const [index, host] of local.entries()) book.add(host, entry, index === 0 ? {controllerMs} : {})
  }
  sample()
  const timer = setInterval(sample, intervalSeconds * 1000)
  // a sampler nobody stopped must not keep the process alive
  timer.unref()
  return {
    async stop(): Promise<TimeSeries> {
      clearInterval(timer)
      return {
        collector, intervalSeconds, startedAt: startedAt.toISOString(), endedAt: new Date().toISOString(), requestedHosts: [...hosts],
        samplesByHost: book.samplesByHost, missing, droppedSamples: book.dropped, cost: book.cost(),
      }
    },
  }
}

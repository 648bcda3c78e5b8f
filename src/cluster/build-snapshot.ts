import {type ClockOffset, type ClusterSnapshot, ClusterSnapshotSchema, type HostFailure} from './host-facts.js'
import {hostFactsFromRaw} from './host-facts-from-raw.js'
import type {RawHostReport} from './raw-report.js'

export interface HostReport {
  host: string
  raw: RawHostReport
  clock: ClockOffset
}

/**
 * Assemble a ClusterSnapshot from what each host reported and the hosts
 * that failed, in the order the hosts were asked for. Collectors call this
 * so every collector's result has one shape and one parser behind it.
 */
export function buildSnapshot(input: {
  collector: string
  requestedHosts: readonly string[]
  startedAt: Date
  reports: readonly HostReport[]
  missing: readonly HostFailure[]
  probe?: {path: string; token: string}
}): ClusterSnapshot {
  const order = new Map(input.requestedHosts.map((host, index) => [host, index]))
  const byRequest = <T extends {host: string}>(items: readonly T[]) => [...items].sort((a, b) => (order.get(a.host) ?? 0) - (order.get(b.host) ?? 0))
  const reports = byRequest(input.reports)
  const snapshot: ClusterSnapshot = {
    collector: input.collector,
    requestedHosts: [...input.requestedHosts],
    hosts: reports.map(r => hostFactsFromRaw(r.raw, {host: r.host, collector: input.collector, clock: r.clock})),
    missing: byRequest(input.missing),
    startedAt: input.startedAt.toISOString(),
    durationMs: Date.now() - input.startedAt.getTime(),
  }
  if (input.probe) {
    const {path, token} = input.probe
    snapshot.probe = {
      path,
      visibleOn: reports.filter(r => r.raw.probe?.trim() === token).map(r => r.host),
      notVisibleOn: reports.filter(r => r.raw.probe?.trim() !== token).map(r => r.host),
    }
  }
  return ClusterSnapshotSchema.parse(snapshot)
}

/**
 * Clock offset from one exchange: the host read its clock somewhere between
 * `sentMs` and `receivedMs` on the controller's clock, so the midpoint is the
 * best guess and half the round trip the bound.
 */
export function clockOffset(hostTimeMs: number, sentMs: number, receivedMs: number, hostTimePrecise = true): ClockOffset {
  const midpoint = (sentMs + receivedMs) / 2
  const halfTrip = Math.max(0, (receivedMs - sentMs) / 2)
  // sent and received are read in whole milliseconds (Date.now), so the true instants lie up to 1 ms after them
  return {offsetMs: round(hostTimeMs - midpoint), uncertaintyMs: round(halfTrip + LOCAL_CLOCK_RESOLUTION_MS + (hostTimePrecise ? 0 : 1000))}
}

const LOCAL_CLOCK_RESOLUTION_MS = 1

function round(value: number): number {
  return Math.round(value * 10) / 10
}

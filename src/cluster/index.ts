export {buildSnapshot, clockOffset, type HostReport} from './build-snapshot.js'
export {clusterFindings, type ClusterSummary, HETEROGENEITY_FACTOR, MAX_CLOCK_SKEW_MS, summarizeCluster} from './cluster-checks.js'
export {describeClockOffset} from './describe-clock.js'
export {type ClusterDeltas, computeDeltas, cpuBusyPercent, type HostDelta} from './deltas.js'
export {GatherFrameParser} from './gather-frames.js'
export {gatherLocal} from './gather-local.js'
export {samplerScript, snapshotScript} from './gather-script.js'
export {
  type ClockOffset, type ClusterSnapshot, ClusterSnapshotSchema, type HostFacts, HostFactsSchema, type HostFailure,
  type HostFailureReason, HostFailureSchema, type HostStable, type HostVolatile,
} from './host-facts.js'
export {fingerprintOf, hostFactsFromRaw, volatileFromRaw} from './host-facts-from-raw.js'
export {localCollector, startLocalSampler} from './local-collector.js'
export {type RawHostReport, RawHostReportSchema} from './raw-report.js'
export {findCollector, requireCollector} from './resolve-collector.js'
export {type SharedFsProbe, writeSharedFsProbe} from './shared-fs-probe.js'
export {FIRST_SAMPLES_WAIT_MS, type HostSample, SampleBook, type TimeSeries, TimeSeriesSchema, waitForFirstSamples} from './time-series.js'
export type {HostSampler, SamplerRequest} from '../registry/definitions.js'

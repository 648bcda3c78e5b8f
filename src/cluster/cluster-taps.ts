import {basename, join} from 'node:path'
import {type Lifecycle, LifecycleStage} from '../lifecycle/lifecycle.js'
import type {RunContext} from '../lifecycle/run-context.js'
import type {CollectorDefinition, HostSampler} from '../registry/definitions.js'
import type {Registry} from '../registry/registry.js'
import {writeJsonAtomic} from '../results/atomic-write.js'
import type {Finding} from '../verify/finding.js'
import {clusterFindings, summarizeCluster} from './cluster-checks.js'
import {computeDeltas} from './deltas.js'
import type {ClusterSnapshot} from './host-facts.js'
import {findCollector} from './resolve-collector.js'
import {writeSharedFsProbe} from './shared-fs-probe.js'
import {TIMESERIES_FORMAT, type TimeSeries} from './time-series.js'

const TAP = 'mlps:cluster'

interface ClusterState {
  collector: CollectorDefinition
  start?: ClusterSnapshot
  sampler?: HostSampler
}

/**
 * The core's collector taps (ARCHITECTURE.md, the lifecycle table): the
 * collector named by `config.collector` takes a snapshot at `setup` (with
 * the shared-filesystem probe of the run leaf) and starts the time-series
 * sampler when an engine runs; at `collect` the sampler stops, its samples go
 * to `<benchmark>_<timestamp>_timeseries.json` in the leaf, an end snapshot
 * is taken, and start, end, deltas and the cluster checks go into
 * `record.extra.cluster`. Collection never fails a run: what goes wrong is a
 * warning (mlpstorage-spec.md §7.2, "universal collection-failure rule").
 * Whether the collector is installed is the `cluster.collector` check's to say.
 */
export function tapClusterCollection(registry: Registry, lifecycle: Lifecycle): void {
  lifecycle.setup.tapPromise({name: TAP, stage: LifecycleStage.Environment}, async ctx => {
    const collector = ctx.config.collector === 'none' ? undefined : findCollector(registry, ctx.config.collector)
    if (!collector) return
    const state: ClusterState = {collector}
    ctx.state.set(TAP, state)
    ctx.progress.stage('Collecting cluster facts')
    const request = {hosts: ctx.hosts, config: ctx.config, signal: ctx.signal}
    try {
      const probe = ctx.leaf ? await writeSharedFsProbe(ctx.leaf) : undefined
      try {
        state.start = await collector.snapshot({...request, probe})
      } finally {
        await probe?.remove()
      }
      ctx.log.debug(`cluster: ${state.start.hosts.length} host(s) collected by ${collector.name} in ${state.start.durationMs} ms`)
    } catch (error) {
      ctx.addFinding(collectionFailed('start snapshot', collector, error))
    }
    if (ctx.engine && collector.startSampler) {
      try {
        state.sampler = await collector.startSampler({...request, intervalSeconds: ctx.config.sampleIntervalSeconds})
      } catch (error) {
        ctx.addFinding(collectionFailed('time-series sampler', collector, error))
      }
    }
  })
  lifecycle.collect.tapPromise({name: TAP, stage: LifecycleStage.Environment}, async ctx => {
    const state = ctx.state.get(TAP) as ClusterState | undefined
    if (!state) return
    const {collector} = state
    let timeseries: Record<string, unknown> | null = null
    if (state.sampler) {
      try {
        timeseries = await writeTimeSeries(ctx, await state.sampler.stop())
      } catch (error) {
        ctx.addFinding(collectionFailed('time series', collector, error))
      }
    }
    let end: ClusterSnapshot | undefined
    try {
      // not ctx.signal: after Ctrl-C the end snapshot is still wanted, and it has its own per-host timeout
      end = await collector.snapshot({hosts: ctx.hosts, config: ctx.config})
    } catch (error) {
      ctx.addFinding(collectionFailed('end snapshot', collector, error))
    }
    const {start} = state
    const deltas = start && end ? computeDeltas(start, end) : null
    const summary = start ? summarizeCluster(start) : null
    ctx.record.extra.cluster = {collector: collector.name, summary, start: start ?? null, end: end ?? null, deltas, timeseries}
    if (summary) {
      ctx.record.metrics.cluster_num_hosts = summary.numHosts
      ctx.record.metrics.cluster_total_memory_bytes = summary.totalMemoryBytes
    }
    if (deltas) {
      ctx.record.metrics.cluster_cpu_busy_percent = deltas.totals.cpuBusyPercent
      ctx.record.metrics.cluster_disk_read_bytes = deltas.totals.diskReadBytes
      ctx.record.metrics.cluster_disk_written_bytes = deltas.totals.diskWrittenBytes
      ctx.record.metrics.cluster_network_rx_bytes = deltas.totals.networkRxBytes
      ctx.record.metrics.cluster_network_tx_bytes = deltas.totals.networkTxBytes
    }
    if (start) for (const finding of clusterFindings(start)) ctx.addFinding(finding)
  })
}

async function writeTimeSeries(ctx: RunContext, series: TimeSeries): Promise<Record<string, unknown>> {
  const numSamples = Object.values(series.samplesByHost).reduce((sum, list) => sum + list.length, 0)
  const hostsCollected = Object.entries(series.samplesByHost).filter(([, list]) => list.length > 0).map(([host]) => host)
  const summary = {intervalSeconds: series.intervalSeconds, numSamples, hostsCollected, missing: series.missing, droppedSamples: series.droppedSamples, cost: series.cost}
  if (!ctx.leaf) return {file: null, ...summary}
  const file = `${ctx.benchmark}_${basename(ctx.leaf)}_timeseries.json`
  await writeJsonAtomic(join(ctx.leaf, file), {format: TIMESERIES_FORMAT, benchmark: ctx.benchmark, runId: ctx.runId, ...series})
  ctx.record.artifacts.push(file)
  return {file, ...summary}
}

/** The hosts' facts the collector took at setup, for taps after it (undefined without a collector, or when it failed). */
export function startSnapshotOf(ctx: RunContext): ClusterSnapshot | undefined {
  return (ctx.state.get(TAP) as ClusterState | undefined)?.start
}

function collectionFailed(what: string, collector: CollectorDefinition, error: unknown): Finding {
  return {
    ruleId: 'cluster.collect', severity: 'warn', kind: 'environment',
    message: `the ${collector.name} collector's ${what} failed: ${(error as Error)?.message ?? String(error)}`,
    fix: 'the run went on without it; check `mlps cluster info` for the cause',
  }
}

import fs from 'node:fs/promises'
import path from 'node:path'
import {type ObjectStorageConfig, type ObjectStoreCredentials, writeFileAtomic} from 'mlps/unstable'

import {abortErrorFrom} from '../io/abort.js'
import {dlioJson} from '../io/dlio-json.js'
import {startModuleWorker} from '../io/module-worker.js'
import {objectTargetOf} from '../s3/object-target.js'
import {DlioLog, logIncomplete} from '../training/dlio-log.js'
import type {DlioSummaryDocument} from '../training/dlio-outputs.js'
import {dropPageCache} from '../training/drop-caches.js'
import {type HostInfo, hostInfo} from '../training/host-info.js'
import {RunControl} from '../training/run-control.js'
import {ThreadGroup} from '../training/thread-group.js'
import {stopThreadsOnAbort} from '../training/threads-on-abort.js'
import {dlioTimestamp, wallClockMs} from '../training/wall-clock.js'
import {type CheckpointMetric, checkpointEntry, checkpointMetric, checkpointSizeGiB} from './checkpoint-metrics.js'
import {type CheckpointPhase, checkpointId, type PhaseMessage, type RankMessage, type RankWorkerData, type ShardFile} from './checkpoint-protocol.js'

export interface CheckpointProgress {
  phase: CheckpointPhase
  /** checkpoint being written or read in this phase, 1-based */
  checkpoint: number
  checkpoints: number
  bytesDone: number
  bytesTotal: number
}

export interface RunCheckpointsOptions {
  /** `<checkpoint_folder>`: checkpoints go to `<folder>/global_epoch1_step<n>/`; an s3://bucket/prefix URI puts them in a bucket */
  folder: string
  /** the site config's objectStorage section, for a folder that is an s3:// URI */
  objectStorage?: ObjectStorageConfig
  /** the bucket's credentials, resolved by the controller of a run over hosts (default: the config's credential source) */
  objectCredentials?: ObjectStoreCredentials
  /** each rank's shard files, rank i at index i */
  ranks: readonly (readonly ShardFile[])[]
  numCheckpointsWrite: number
  numCheckpointsRead: number
  timeBetweenCheckpoints: number
  fsync: boolean
  /** clear the page cache between the write and the read phase (Rules 4.3.1; needs root) */
  clearCacheBetweenPhases: boolean
  outputDir: string
  hostname?: string
  /** the workload's dataset keys DLIO puts in every summary; a checkpoint workload has none, and DLIO then reports its defaults */
  dataset?: {num_files_train?: number; num_samples_per_file?: number; record_length_bytes?: number}
  signal?: AbortSignal
  onProgress?: (progress: CheckpointProgress) => void
}

export type CheckpointSummaryDocument = Omit<DlioSummaryDocument, 'metric'> & {metric: CheckpointMetric}

export interface CheckpointRunResult {
  summary: CheckpointSummaryDocument
  files: {summary: string; dlioLog: string; perEpochStats: string[]}
  checkpointBytes: number
  /** bytes moved, all ranks and checkpoints */
  bytesWritten: number
  bytesRead: number
  /** the last rank's last save end → the first rank's first load start (the rules' write-end → read-start gap) */
  writeEndToReadStartSeconds?: number
  cacheClear: {required: boolean; cleared: boolean; reason?: string; seconds?: number}
}

/** What one host's ranks need on top of a one-host run, when several hosts checkpoint together. */
export interface HostCheckpointOptions extends Omit<RunCheckpointsOptions, 'outputDir' | 'dataset'> {
  /** the global rank of each entry of `ranks` (default 0..n-1) */
  globalRanks?: readonly number[]
  /** one checkpoint's bytes over every rank of every host (default: this host's) */
  checkpointBytes?: number
  /** where this host meets the others: resolves once every host reached the named barrier */
  meet?: (barrier: string) => Promise<void>
  log: Pick<DlioLog, 'info' | 'output' | 'warning' | 'error'>
}

/** One rank's checkpoint timings on its own clock (wall ms). */
export interface CheckpointTiming {
  startWallMs: number
  endWallMs: number
}

/** One host's part of a checkpointing run. */
export interface HostCheckpointRun {
  host: HostInfo
  ranks: number[]
  /** per local rank, per checkpoint */
  timings: Record<CheckpointPhase, CheckpointTiming[][]>
  cacheClear: CheckpointRunResult['cacheClear']
  startWallMs: number
  endWallMs: number
}

const PROGRESS_INTERVAL_MS = 250
const GiB = 2 ** 30

/**
 * Emulates a DLIO checkpointing run on this host: P rank threads write
 * `numCheckpointsWrite` checkpoints of their shard files, the page cache is
 * cleared when asked, then they read `numCheckpointsRead` back; outputs are
 * DLIO-shaped (summary.json, <rank>_per_epoch_stats.json, dlio.log).
 */
export async function runCheckpoints(options: RunCheckpointsOptions): Promise<CheckpointRunResult> {
  await fs.mkdir(options.outputDir, {recursive: true})
  const summaryFile = path.join(options.outputDir, 'summary.json')
  await fs.rm(summaryFile, {force: true})
  const log = new DlioLog(path.join(options.outputDir, 'dlio.log'))
  const run = await checkpointHostRanks({...options, log})
  return writeCheckpointOutputs({outputDir: options.outputDir, log, dataset: options.dataset, hosts: [run], checkpointBytes: options.ranks.flat().reduce((sum, file) => sum + file.bytes, 0),
    numCheckpointsWrite: options.numCheckpointsWrite, numCheckpointsRead: options.numCheckpointsRead})
}

/**
 * One host's ranks of a checkpointing run: every checkpoint started together with the other hosts
 * (`meet`, where DLIO's ranks meet at its barrier), this host's page cache cleared between the write
 * and the read phase, every rank's start and end on its own clock.
 */
export async function checkpointHostRanks(options: HostCheckpointOptions): Promise<HostCheckpointRun> {
  const {ranks, signal, folder, log} = options
  if (signal?.aborted) throw abortErrorFrom(signal, 'the checkpointing run')
  const processes = ranks.length
  if (processes < 1) throw new Error('a checkpointing run needs at least one rank')
  const globalRanks = options.globalRanks ?? ranks.map((_, rank) => rank)
  const checkpointBytes = options.checkpointBytes ?? ranks.flat().reduce((sum, file) => sum + file.bytes, 0)
  const sizeGiB = checkpointSizeGiB(checkpointBytes)
  const target = objectTargetOf(folder, options.objectStorage, '--checkpoint-folder', options.objectCredentials)
  if (options.numCheckpointsWrite === 0 && options.numCheckpointsRead > 0) {
    if (target) await (await import('../s3/object-checkpoints.js')).assertCheckpointObjectsPresent(target, ranks, options.numCheckpointsRead)
    else await assertCheckpointsPresent(folder, ranks, options.numCheckpointsRead)
  }

  if (!target) await fs.mkdir(folder, {recursive: true})
  const host = hostInfo(options.hostname)
  const startWallMs = wallClockMs()
  log.info('mlps native engine: emulation of the DLIO checkpointing workload (not a DLIO run)')
  log.output(`Running DLIO [Checkpointing] with ${options.globalRanks ? 'these' : processes} process(es)${options.globalRanks ? ` (ranks ${globalRanks.join(', ')})` : ''}`)
  log.output(`Total checkpoint size: ${sizeGiB.toFixed(6)} GiB `)

  const control = RunControl.allocate()
  const counters = ranks.map(() => new Float64Array(new SharedArrayBuffer(8)))
  const workers = ranks.map((files, rank) => startModuleWorker(import.meta.url, target ? '../s3/object-rank-worker' : 'rank-worker', {
    workerData: {rank, ranks: processes, folder, files: [...files], fsync: options.fsync, control: control.buffer, progress: counters[rank].buffer, target} satisfies RankWorkerData,
  }))
  const threads = new ThreadGroup<RankMessage>(workers, rank => `checkpoint rank ${globalRanks[rank]}`)
  const stopThreads = stopThreadsOnAbort(control, threads, signal, 'the checkpointing run')
  const meet = async (barrier: string) => options.meet?.(barrier)

  const timings: HostCheckpointRun['timings'] = {save: ranks.map(() => []), load: ranks.map(() => [])}
  const bytesTotal = ranks.flat().reduce((sum, file) => sum + file.bytes, 0) * (options.numCheckpointsWrite + options.numCheckpointsRead)
  const cacheClear: CheckpointRunResult['cacheClear'] = {required: options.clearCacheBetweenPhases, cleared: false}
  let progressTimer: NodeJS.Timeout | undefined
  let current: Omit<CheckpointProgress, 'bytesDone' | 'bytesTotal'> = {phase: 'save', checkpoint: 0, checkpoints: options.numCheckpointsWrite}
  const report = () => options.onProgress?.({...current, bytesDone: counters.reduce((sum, c) => sum + c[0], 0), bytesTotal})

  const runPhase = async (phase: CheckpointPhase, count: number) => {
    const [verb, done] = phase === 'save' ? ['saving', 'write'] : ['loading', 'read']
    log.output(`Checkpointing ${done} started`)
    for (let index = 1; index <= count; index++) {
      current = {phase, checkpoint: index, checkpoints: count}
      await meet(`${done} ${index} start`)
      const message: PhaseMessage = {type: 'phase', phase, first: index, count: 1, timeBetweenCheckpoints: options.timeBetweenCheckpoints}
      for (const worker of workers) worker.postMessage(message)
      await threads.collect('started', [0])
      log.output(`Starting ${verb} checkpoint ${index} after total step ${index} for epoch 1`)
      const results = await threads.collect('checkpoint') as Array<Extract<RankMessage, {type: 'checkpoint'}>>
      await threads.collect('phaseDone')
      for (const result of results) timings[phase][result.rank].push({startWallMs: result.startWallMs, endWallMs: result.endWallMs})
      const first = checkpointEntry(results[0].startWallMs, results[0].endWallMs, sizeGiB)
      log.output(`Finished ${verb} checkpoint ${index} for epoch 1 in ${first.duration.toFixed(4)} s; Throughput: ${first.throughput.toFixed(4)} GiB/s`)
      report()
      await meet(`${done} ${index} end`)
    }
    log.output(`Checkpointing ${done} finished`)
  }

  try {
    await threads.collect('ready')
    progressTimer = setInterval(report, PROGRESS_INTERVAL_MS)
    progressTimer.unref()
    if (options.numCheckpointsWrite > 0) await runPhase('save', options.numCheckpointsWrite)
    if (options.numCheckpointsWrite > 0 && options.numCheckpointsRead > 0 && options.clearCacheBetweenPhases) {
      const started = performance.now()
      const outcome = dropPageCache()
      cacheClear.seconds = (performance.now() - started) / 1000
      if (outcome.dropped) {
        cacheClear.cleared = true
        log.output('Page cache cleared between the write and the read phase')
      } else {
        cacheClear.reason = outcome.reason
        log.warning(`The page cache was not cleared between the write and the read phase: ${outcome.reason}`)
      }
    }
    if (options.numCheckpointsRead > 0) await runPhase('load', options.numCheckpointsRead)
  } catch (error) {
    logIncomplete(log, (error as Error).message)
    throw error
  } finally {
    clearInterval(progressTimer)
    // before the threads go: a rank cut mid-upload aborts its multipart upload on the server
    await stopThreads(target ? async () => {
      const {stopUploadingThreads} = await import('../s3/upload-stop.js')
      for (const problem of await stopUploadingThreads(workers, target.uri)) log.warning(problem)
    } : undefined)
  }
  return {host, ranks: [...globalRanks], timings, cacheClear, startWallMs, endWallMs: wallClockMs()}
}

export interface CheckpointOutputsInput {
  outputDir: string
  log: DlioLog
  hosts: readonly HostCheckpointRun[]
  /** one checkpoint's bytes over every rank */
  checkpointBytes: number
  numCheckpointsWrite: number
  numCheckpointsRead: number
  dataset?: RunCheckpointsOptions['dataset']
  /** ranks ran on host workers: each rank's stats name its host */
  namesHosts?: boolean
}

/**
 * The DLIO-shaped outputs of a checkpointing run over one host or many: one
 * `<rank>_per_epoch_stats.json` per rank, summary.json with `num_hosts` and DLIO's metric (rank 0's
 * durations, the whole checkpoint's GiB over every rank), the write-end → read-start gap across hosts.
 */
export async function writeCheckpointOutputs(input: CheckpointOutputsInput): Promise<CheckpointRunResult> {
  const {outputDir, log, hosts} = input
  const sizeGiB = checkpointSizeGiB(input.checkpointBytes)
  const ranks = hosts.flatMap(run => run.ranks.map((rank, local) => ({rank, run, local}))).sort((a, b) => a.rank - b.rank)
  const processes = ranks.length
  const entries = (phase: CheckpointPhase) => ranks.map(({run, local}) => run.timings[phase][local].map(t => checkpointEntry(t.startWallMs, t.endWallMs, sizeGiB)))
  const saves = entries('save')
  const loads = entries('load')
  const all = (phase: CheckpointPhase) => hosts.flatMap(run => run.timings[phase].flat())
  const lastSaveEndMs = all('save').length > 0 ? Math.max(...all('save').map(t => t.endWallMs)) : undefined
  const firstLoads = hosts.flatMap(run => run.timings.load.map(rank => rank[0]).filter(Boolean))
  const firstLoadStartMs = firstLoads.length > 0 ? Math.min(...firstLoads.map(t => t.startWallMs)) : undefined
  const first = ranks[0].run
  const startWallMs = Math.min(...hosts.map(run => run.startWallMs))
  const endWallMs = Math.max(...hosts.map(run => run.endWallMs))
  // DLIO's ConfigArguments defaults where the workload has no dataset (the v3.0 SAMSUNG llama3-8b summary: 8 files, 1 sample, 65536 bytes)
  const dataset = input.dataset ?? {}
  const files = dataset.num_files_train ?? 8
  const samples = dataset.num_samples_per_file ?? 1
  const perHost = Math.ceil(processes / hosts.length)
  // statscounter: npernode · samples · files // comm_size · record length (engines.md §2.2)
  const dataSizePerHostGB = (Math.floor((perHost * samples * files) / processes) * (dataset.record_length_bytes ?? 65536)) / GiB
  const metric = checkpointMetric({save: saves[0], load: loads[0]}, sizeGiB)
  const summary: CheckpointSummaryDocument = {
    start: dlioTimestamp(startWallMs),
    num_accelerators: processes,
    num_hosts: hosts.length,
    hostname: first.host.hostname,
    metric,
    num_files_train: files,
    num_files_eval: 0,
    num_samples_per_file: samples,
    host_cpu_count: hosts.map(run => run.host.cpuCount),
    host_processor_name: first.host.processorName,
    potential_caching: hosts.map(run => (run.host.memoryGB > dataSizePerHostGB ? 1 : 0)),
    host_cpuinfo: first.host.cpuinfo,
    host_meminfo: first.host.meminfo,
    host_memory_GB: hosts.map(run => run.host.memoryGB),
    data_size_per_host_GB: dataSizePerHostGB,
    epochs: 0,
    end: dlioTimestamp(endWallMs),
    engine: 'native',
  }
  const perEpochFiles = ranks.map(({rank}) => path.join(outputDir, `${rank}_per_epoch_stats.json`))
  await Promise.all(ranks.map(({run}, i) => writeFileAtomic(perEpochFiles[i], dlioJson({
    1: {
      start: dlioTimestamp(run.startWallMs),
      ...Object.fromEntries(saves[i].map((entry, n) => [`save_ckpt${n + 1}`, entry])),
      ...Object.fromEntries(loads[i].map((entry, n) => [`load_ckpt${n + 1}`, entry])),
      end: dlioTimestamp(run.endWallMs),
      // not a DLIO key: which host the rank ran on, as the training outputs' hostname says
      ...(input.namesHosts ? {hostname: run.host.hostname} : {}),
    },
  }))))
  log.output(`Saved outputs in ${outputDir}`)
  log.metricBlock([
    `Number of Simulated Accelerators: ${processes} `,
    ...metricLines('save', metric.save_checkpoint_duration_mean_seconds, metric.save_checkpoint_duration_stdev_seconds, metric.save_checkpoint_io_mean_GB_per_second, metric.save_checkpoint_io_stdev_GB_per_second),
    ...metricLines('load', metric.load_checkpoint_duration_mean_seconds, metric.load_checkpoint_duration_stdev_seconds, metric.load_checkpoint_io_mean_GB_per_second, metric.load_checkpoint_io_stdev_GB_per_second),
  ])
  const summaryFile = path.join(outputDir, 'summary.json')
  // summary.json last: its presence marks a complete run.
  await writeFileAtomic(summaryFile, dlioJson(summary))
  const notCleared = hosts.find(run => run.cacheClear.required && !run.cacheClear.cleared)
  return {
    summary,
    files: {summary: summaryFile, dlioLog: log.file, perEpochStats: perEpochFiles},
    checkpointBytes: input.checkpointBytes,
    bytesWritten: input.checkpointBytes * input.numCheckpointsWrite,
    bytesRead: input.checkpointBytes * input.numCheckpointsRead,
    writeEndToReadStartSeconds: lastSaveEndMs !== undefined && firstLoadStartMs !== undefined ? (firstLoadStartMs - lastSaveEndMs) / 1000 : undefined,
    cacheClear: {
      required: first.cacheClear.required,
      cleared: hosts.every(run => run.cacheClear.cleared),
      ...(notCleared?.cacheClear.reason ? {reason: hosts.length > 1 ? `${notCleared.host.hostname}: ${notCleared.cacheClear.reason}` : notCleared.cacheClear.reason} : {}),
      ...(hosts.some(run => run.cacheClear.seconds !== undefined) ? {seconds: Math.max(...hosts.map(run => run.cacheClear.seconds ?? 0))} : {}),
    },
  }
}

function metricLines(phase: CheckpointPhase, duration?: number, durationStdev?: number, rate?: number, rateStdev?: number): string[] {
  if (duration === undefined || rate === undefined) return []
  return [
    `Checkpoint ${phase} duration (seconds): ${duration.toFixed(4)} (${(durationStdev ?? 0).toFixed(4)})`,
    `Checkpoint ${phase} I/O Throughput (GiB/second): ${rate.toFixed(4)} (${(rateStdev ?? 0).toFixed(4)})`,
  ]
}

/** A read-only run reads what an earlier write run left: every shard of checkpoints 1..n, at its exact size. */
export async function assertCheckpointsPresent(folder: string, ranks: readonly (readonly ShardFile[])[], count: number): Promise<void> {
  const problems: string[] = []
  for (let index = 1; index <= count && problems.length < 5; index++) {
    for (const file of ranks.flat()) {
      const full = path.join(folder, checkpointId(index), file.name)
      const size = await fs.stat(full).then(s => s.size, () => undefined)
      if (size === undefined) problems.push(`${full} is missing`)
      else if (size !== file.bytes) problems.push(`${full} has ${size} bytes, not ${file.bytes}`)
      if (problems.length >= 5) break
    }
  }
  if (problems.length > 0) {
    throw new Error(`the checkpoints to read are not all there: ${problems.join('; ')}. Write them first with the same model, processes and scale (--num-checkpoints-read 0)`)
  }
}

import fs from 'node:fs/promises'
import path from 'node:path'
import {writeFileAtomic} from 'mlps/unstable'

import {abortErrorFrom} from '../io/abort.js'
import {dlioJson} from '../io/dlio-json.js'
import {startModuleWorker} from '../io/module-worker.js'
import {DlioLog} from '../training/dlio-log.js'
import type {DlioSummaryDocument} from '../training/dlio-outputs.js'
import {dropPageCache} from '../training/drop-caches.js'
import {hostInfo} from '../training/host-info.js'
import {RunControl} from '../training/run-control.js'
import {ThreadGroup} from '../training/thread-group.js'
import {dlioTimestamp, wallClockMs} from '../training/wall-clock.js'
import {type CheckpointEntry, type CheckpointMetric, checkpointEntry, checkpointMetric, checkpointSizeGiB} from './checkpoint-metrics.js'
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
  /** `<checkpoint_folder>`: checkpoints go to `<folder>/global_epoch1_step<n>/` */
  folder: string
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

const PROGRESS_INTERVAL_MS = 250
const GiB = 2 ** 30

/**
 * Emulates a DLIO checkpointing run on this host: P rank threads write
 * `numCheckpointsWrite` checkpoints of their shard files, the page cache is
 * cleared when asked, then they read `numCheckpointsRead` back; outputs are
 * DLIO-shaped (summary.json, <rank>_per_epoch_stats.json, dlio.log).
 */
export async function runCheckpoints(options: RunCheckpointsOptions): Promise<CheckpointRunResult> {
  const {ranks, signal, folder} = options
  if (signal?.aborted) throw abortErrorFrom(signal, 'the checkpointing run')
  const processes = ranks.length
  if (processes < 1) throw new Error('a checkpointing run needs at least one rank')
  const checkpointBytes = ranks.flat().reduce((sum, file) => sum + file.bytes, 0)
  const sizeGiB = checkpointSizeGiB(checkpointBytes)
  if (options.numCheckpointsWrite === 0 && options.numCheckpointsRead > 0) await assertCheckpointsPresent(folder, ranks, options.numCheckpointsRead)

  await fs.mkdir(options.outputDir, {recursive: true})
  await fs.mkdir(folder, {recursive: true})
  const summaryFile = path.join(options.outputDir, 'summary.json')
  await fs.rm(summaryFile, {force: true})
  const log = new DlioLog(path.join(options.outputDir, 'dlio.log'))
  const host = hostInfo(options.hostname)
  const startWallMs = wallClockMs()
  log.info('mlps native engine: emulation of the DLIO checkpointing workload (not a DLIO run)')
  log.output(`Running DLIO [Checkpointing] with ${processes} process(es)`)
  log.output(`Total checkpoint size: ${sizeGiB.toFixed(6)} GiB `)

  const control = RunControl.allocate()
  const counters = ranks.map(() => new Float64Array(new SharedArrayBuffer(8)))
  const workers = ranks.map((files, rank) => startModuleWorker(import.meta.url, 'rank-worker', {
    workerData: {rank, ranks: processes, folder, files: [...files], fsync: options.fsync, control: control.buffer, progress: counters[rank].buffer} satisfies RankWorkerData,
  }))
  const threads = new ThreadGroup<RankMessage>(workers, rank => `checkpoint rank ${rank}`)
  const onAbort = () => {
    control.abort()
    threads.fail(abortErrorFrom(signal as AbortSignal, 'the checkpointing run'))
  }
  signal?.addEventListener('abort', onAbort, {once: true})

  const entries: Record<CheckpointPhase, CheckpointEntry[][]> = {save: ranks.map(() => []), load: ranks.map(() => [])}
  const bytesTotal = checkpointBytes * (options.numCheckpointsWrite + options.numCheckpointsRead)
  const cacheClear: CheckpointRunResult['cacheClear'] = {required: options.clearCacheBetweenPhases, cleared: false}
  let lastSaveEndMs: number | undefined
  let firstLoadStartMs: number | undefined
  let progressTimer: NodeJS.Timeout | undefined
  let current: Omit<CheckpointProgress, 'bytesDone' | 'bytesTotal'> = {phase: 'save', checkpoint: 0, checkpoints: options.numCheckpointsWrite}
  const report = () => options.onProgress?.({...current, bytesDone: counters.reduce((sum, c) => sum + c[0], 0), bytesTotal})

  const runPhase = async (phase: CheckpointPhase, count: number) => {
    const [verb, done] = phase === 'save' ? ['saving', 'write'] : ['loading', 'read']
    log.output(`Checkpointing ${done} started`)
    const message: PhaseMessage = {type: 'phase', phase, count, timeBetweenCheckpoints: options.timeBetweenCheckpoints}
    for (const worker of workers) worker.postMessage(message)
    for (let index = 1; index <= count; index++) {
      current = {phase, checkpoint: index, checkpoints: count}
      await threads.collect('started', [0])
      log.output(`Starting ${verb} checkpoint ${index} after total step ${index} for epoch 1`)
      const results = await threads.collect('checkpoint') as Array<Extract<RankMessage, {type: 'checkpoint'}>>
      for (const result of results) entries[phase][result.rank].push(checkpointEntry(result.startWallMs, result.endWallMs, sizeGiB))
      if (phase === 'save') lastSaveEndMs = Math.max(...results.map(r => r.endWallMs))
      else if (index === 1) firstLoadStartMs = Math.min(...results.map(r => r.startWallMs))
      const rank0 = entries[phase][0].at(-1) as CheckpointEntry
      log.output(`Finished ${verb} checkpoint ${index} for epoch 1 in ${rank0.duration.toFixed(4)} s; Throughput: ${rank0.throughput.toFixed(4)} GiB/s`)
      report()
    }
    await threads.collect('phaseDone')
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
    log.error(`run stopped before completion, outputs are incomplete: ${(error as Error).message}`)
    throw error
  } finally {
    clearInterval(progressTimer)
    signal?.removeEventListener('abort', onAbort)
    control.abort()
    await threads.terminate()
  }

  const endWallMs = wallClockMs()
  // DLIO's ConfigArguments defaults where the workload has no dataset (the v3.0 SAMSUNG llama3-8b summary: 8 files, 1 sample, 65536 bytes)
  const dataset = options.dataset ?? {}
  const files = dataset.num_files_train ?? 8
  const samples = dataset.num_samples_per_file ?? 1
  // statscounter: npernode · samples · files // comm_size · record length, one host here (engines.md §2.2)
  const dataSizePerHostGB = (Math.floor((processes * samples * files) / processes) * (dataset.record_length_bytes ?? 65536)) / GiB
  const metric = checkpointMetric({save: entries.save[0], load: entries.load[0]}, sizeGiB)
  const summary: CheckpointSummaryDocument = {
    start: dlioTimestamp(startWallMs),
    num_accelerators: processes,
    num_hosts: 1,
    hostname: host.hostname,
    metric,
    num_files_train: files,
    num_files_eval: 0,
    num_samples_per_file: samples,
    host_cpu_count: [host.cpuCount],
    host_processor_name: host.processorName,
    potential_caching: [host.memoryGB > dataSizePerHostGB ? 1 : 0],
    host_cpuinfo: host.cpuinfo,
    host_meminfo: host.meminfo,
    host_memory_GB: [host.memoryGB],
    data_size_per_host_GB: dataSizePerHostGB,
    epochs: 0,
    end: dlioTimestamp(endWallMs),
    engine: 'native',
  }
  const perEpochFiles = ranks.map((_, rank) => path.join(options.outputDir, `${rank}_per_epoch_stats.json`))
  await Promise.all(ranks.map((_, rank) => writeFileAtomic(perEpochFiles[rank], dlioJson({
    1: {
      start: dlioTimestamp(startWallMs),
      ...Object.fromEntries(entries.save[rank].map((entry, i) => [`save_ckpt${i + 1}`, entry])),
      ...Object.fromEntries(entries.load[rank].map((entry, i) => [`load_ckpt${i + 1}`, entry])),
      end: dlioTimestamp(endWallMs),
    },
  }))))
  log.output(`Saved outputs in ${options.outputDir}`)
  log.metricBlock([
    `Number of Simulated Accelerators: ${processes} `,
    ...metricLines('save', metric.save_checkpoint_duration_mean_seconds, metric.save_checkpoint_duration_stdev_seconds, metric.save_checkpoint_io_mean_GB_per_second, metric.save_checkpoint_io_stdev_GB_per_second),
    ...metricLines('load', metric.load_checkpoint_duration_mean_seconds, metric.load_checkpoint_duration_stdev_seconds, metric.load_checkpoint_io_mean_GB_per_second, metric.load_checkpoint_io_stdev_GB_per_second),
  ])
  // summary.json last: its presence marks a complete run.
  await writeFileAtomic(summaryFile, dlioJson(summary))
  return {
    summary,
    files: {summary: summaryFile, dlioLog: log.file, perEpochStats: perEpochFiles},
    checkpointBytes,
    bytesWritten: checkpointBytes * options.numCheckpointsWrite,
    bytesRead: checkpointBytes * options.numCheckpointsRead,
    writeEndToReadStartSeconds: lastSaveEndMs !== undefined && firstLoadStartMs !== undefined ? (firstLoadStartMs - lastSaveEndMs) / 1000 : undefined,
    cacheClear,
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

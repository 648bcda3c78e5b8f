import fs from 'node:fs/promises'
import path from 'node:path'
import {type ObjectStorageConfig, type ObjectStoreCredentials, writeFileAtomic} from 'mlps/unstable'

import type {DlioTrainingWorkload} from '../workload.js'
import {DIRECT_READ_FORMATS} from '../formats/dataset-format.js'
import {formatForDataset} from '../formats/format-for-dataset.js'
import {parquetRowBytes} from '../formats/parquet-columns.js'
import {abortErrorFrom} from '../io/abort.js'
import {dlioJson} from '../io/dlio-json.js'
import {startModuleWorker} from '../io/module-worker.js'
import {objectTargetOf} from '../s3/object-target.js'
import {assertPlannedSizes, listTrainingFiles} from './dataset-listing.js'
import {type BlockMetrics, EXCLUDE_START_STEPS, blockMetrics, mean, populationStdev, trainingMetric} from './dlio-metrics.js'
import {DlioLog, logIncomplete} from './dlio-log.js'
import {type DlioSummaryDocument, dlioDuration, perEpochStats, rankOutput} from './dlio-outputs.js'
import type {HostInfo} from './host-info.js'
import {dropPageCache} from './drop-caches.js'
import {hostInfo, procFileDict} from './host-info.js'
import {
  type AcceleratorEpochMessage,
  type AcceleratorMessage,
  type AcceleratorWorkerData,
  PROGRESS_BLOCK_START,
  PROGRESS_COMPUTE,
  PROGRESS_FIELDS,
  PROGRESS_FIRST_PROC,
  PROGRESS_STEPS,
  READY_BASE,
  type RankEpochTimings,
  type ReaderEpochMessage,
  type ReaderMessage,
  type ReaderWorkerData,
} from './run-protocol.js'
import {DEFAULT_TRAIN_SEED, epochFileOrder, rankSamples} from './sample-schedule.js'
import {sharePaths} from './shared-paths.js'
import {RunControl} from './run-control.js'
import {ThreadGroup} from './thread-group.js'
import {stopThreadsOnAbort} from './threads-on-abort.js'
import {monotonicSeconds} from './precise-sleep.js'
import {dlioTimestamp, wallClockMs} from './wall-clock.js'

export interface TrainingProgress {
  epoch: number
  epochs: number
  /** steps every accelerator has completed in this epoch */
  step: number
  stepsPerEpoch: number
  /** samples per second over all accelerators since the first epoch started: epochs so far and this one's steps so far, never reset at an epoch's start */
  samplesPerSecond: number
  /** samplesPerSecond × the record length, in MiB/s, as DLIO computes its I/O figure */
  mibPerSecond: number
  /** AU (%) of the run so far, mean over accelerators, each epoch's first step excluded as in the metric; epochs weigh by their steps */
  auPercent: number
  /** seconds left for the whole run at the pace so far; undefined until a step completed */
  etaSeconds: number | undefined
}

export interface RunTrainingOptions {
  workload: DlioTrainingWorkload
  /** overrides `workload.dataset.data_folder` */
  dataFolder?: string
  /** the site config's objectStorage section, for a data folder that is an s3://bucket/prefix URI */
  objectStorage?: ObjectStorageConfig
  /** the bucket's credentials, resolved by the controller of a run over hosts (default: the config's credential source) */
  objectCredentials?: ObjectStoreCredentials
  outputDir: string
  /** emulated accelerators (DLIO's MPI ranks) on this host */
  accelerators: number
  hostname?: string
  /** drop the page cache before each epoch, as DLIO v3 does (needs root) */
  dropCachesBeforeEpoch?: boolean
  signal?: AbortSignal
  onProgress?: (progress: TrainingProgress) => void
}

/** What the ranks of one host need on top of a one-host run, when several hosts train together. */
export interface HostTrainingOptions extends Omit<RunTrainingOptions, 'outputDir'> {
  /** the global rank of each accelerator on this host (default 0..accelerators-1) */
  ranks?: readonly number[]
  /** the ranks of the whole run, over every host (default: this host's) */
  totalRanks?: number
  /** where this host meets the others: resolves once every host reached the named barrier */
  meet?: (barrier: string) => Promise<void>
  /** the per-step barrier across hosts (DLIO's comm.barrier() every step), numbered from 1 over the run */
  meetStep?: (step: number) => Promise<void>
  log: TrainingLog
}

/** The dlio.log lines a host's training writes as it goes. */
export type TrainingLog = Pick<DlioLog, 'info' | 'output' | 'warning' | 'error'>

/** One host's part of a run: its facts and its ranks' timings, as the outputs are computed from them. */
export interface HostTrainingRun {
  host: HostInfo
  ranks: number[]
  /** per local rank, per epoch */
  epochs: RankEpochTimings[][]
  epochWall: {start: number; end: number}[]
  meminfoPerEpoch: Record<string, string>[]
  /** 1 when this host's share of the dataset fits its memory (DLIO's per-rank potential_caching) */
  potentialCaching: 0 | 1
  dataSizePerHostGB: number
  dropCaches: TrainingResult['dropCaches']
  bytesRead: number
  stepsPerEpoch: number
  startWallMs: number
}

export interface TrainingResult {
  summary: DlioSummaryDocument
  outputDir: string
  files: {summary: string; dlioLog: string; perEpochStats: string[]; outputs: string[]}
  stepsPerEpoch: number
  /** dataset smaller than 5× host memory: later epochs may be served from the page cache (engines.md §6.6) */
  potentialCaching: boolean
  dropCaches: {requested: boolean; droppedBeforeEpochs: number; failure?: string}
  /** bytes the readers actually read, all epochs and accelerators */
  bytesRead: number
}

const PROGRESS_INTERVAL_MS = 250
/** DLIO's `reader.prefetch_size` default. */
const DEFAULT_PREFETCH_SIZE = 2

interface RunPlan {
  steps: number
  batchSize: number
  readThreads: number
  /** batches in flight per accelerator: read_threads × ceil(prefetch_size / read_threads) */
  depth: number
  epochs: number
  computationTime: number
  seed: number
}

function planRun(workload: DlioTrainingWorkload, accelerators: number): RunPlan {
  const {dataset, reader, train} = workload
  if (!reader || !train) throw new Error('the workload has no reader/train section: it is not a training run configuration')
  if (!Number.isInteger(accelerators) || accelerators < 1) throw new Error(`accelerators must be a positive integer, got ${accelerators}`)
  const batchSize = reader.batch_size
  const maxSteps = Math.floor((dataset.num_samples_per_file * dataset.num_files_train) / batchSize / accelerators)
  let steps = maxSteps
  const cap = train.total_training_steps ?? -1
  if (cap > 0) {
    if (cap > maxSteps) throw new Error(`only enough data for ${maxSteps} steps per epoch but total_training_steps is ${cap}`)
    steps = cap
  }
  if (steps < 1) {
    throw new Error(
      `${dataset.num_files_train} files × ${dataset.num_samples_per_file} samples give no full step of ${batchSize} samples on each of ${accelerators} accelerators`,
    )
  }
  const readThreads = Math.max(1, reader.read_threads)
  return {
    steps,
    batchSize,
    readThreads,
    depth: readThreads * Math.ceil((reader.prefetch_size ?? DEFAULT_PREFETCH_SIZE) / readThreads),
    epochs: train.epochs,
    computationTime: train.computation_time,
    seed: train.seed ?? DEFAULT_TRAIN_SEED,
  }
}

/**
 * Emulates a DLIO training run on this host (engines.md §1.6, §6): P
 * accelerator threads with `read_threads` reader threads each, a barrier
 * every step, metrics as DLIO computes them, and DLIO-shaped output files.
 */
export async function runTraining(options: RunTrainingOptions): Promise<TrainingResult> {
  const {outputDir} = options
  await fs.mkdir(outputDir, {recursive: true})
  const summaryFile = path.join(outputDir, 'summary.json')
  await fs.rm(summaryFile, {force: true})
  const log = new DlioLog(path.join(outputDir, 'dlio.log'))
  const run = await trainHostRanks({...options, log})
  return writeTrainingOutputs({workload: options.workload, outputDir, log, hosts: [run]})
}

/**
 * The training of one host's ranks: the dataset listed and checked, then every epoch read and
 * computed by this host's accelerator threads, each epoch started and ended together with the other
 * hosts through `meet` (DLIO's ranks meet at its barriers there too).
 */
export async function trainHostRanks(options: HostTrainingOptions): Promise<HostTrainingRun> {
  const {workload, accelerators, signal, log} = options
  const dataset = workload.dataset
  const dataFolder = options.dataFolder ?? dataset.data_folder
  if (signal?.aborted) throw abortErrorFrom(signal, 'the training run')
  const globalRanks = options.ranks ?? Array.from({length: accelerators}, (_, rank) => rank)
  if (globalRanks.length !== accelerators) throw new Error(`${accelerators} accelerators but ${globalRanks.length} ranks given`)
  const totalRanks = options.totalRanks ?? accelerators
  const plan = planRun(workload, totalRanks)
  const format = await formatForDataset(dataset)

  const target = objectTargetOf(dataFolder, options.objectStorage, '--data-dir', options.objectCredentials)
  // The threads start (an isolate and its modules each, the largest part of start-up) while the
  // dataset is listed and checked; they need the file list only with their first epoch.
  const control = RunControl.allocate()
  const channels = Array.from({length: accelerators}, () => new Int32Array(new SharedArrayBuffer((READY_BASE + plan.depth) * 4)))
  const progress = Array.from({length: accelerators}, () => new Float64Array(new SharedArrayBuffer(PROGRESS_FIELDS * 8)))
  const acceleratorIndices = Array.from({length: accelerators}, (_, rank) => rank)
  const readerIndices = (rank: number) => Array.from({length: plan.readThreads}, (_, k) => accelerators + rank * plan.readThreads + k)
  const workers = [
    ...acceleratorIndices.map(rank => startModuleWorker(import.meta.url, 'accelerator-worker', {
      workerData: {rank, ranks: accelerators, control: control.buffer, channel: channels[rank].buffer, progress: progress[rank].buffer, depth: plan.depth} satisfies AcceleratorWorkerData,
    })),
    ...acceleratorIndices.flatMap(rank => Array.from({length: plan.readThreads}, (_, readerIndex) => startModuleWorker(import.meta.url, target ? '../s3/object-reader-worker' : 'reader-worker', {
      workerData: {workload, readerIndex, readThreads: plan.readThreads, depth: plan.depth, control: control.buffer, channel: channels[rank].buffer, target} satisfies ReaderWorkerData,
    }))),
  ]
  const threads = new ThreadGroup<AcceleratorMessage | ReaderMessage>(workers, i =>
    i < accelerators ? `accelerator thread ${i}` : `reader thread ${(i - accelerators) % plan.readThreads} of accelerator ${Math.floor((i - accelerators) / plan.readThreads)}`,
  )
  let files: string[]
  try {
    files = target ? await (await import('../s3/object-dataset.js')).trainingObjectKeys(dataset, target, format) : await listTrainingFiles(dataset, dataFolder, format)
    if (!target) await assertPlannedSizes(files, format)
  } catch (error) {
    await threads.terminate()
    throw error
  }
  const paths = sharePaths(files)

  const host = hostInfo(options.hostname)
  const startWallMs = wallClockMs()

  const recordBytes = dataset.format === 'parquet' && dataset.parquet?.columns?.length ? parquetRowBytes(dataset.parquet.columns) : dataset.record_length_bytes
  const samplesTotal = dataset.num_samples_per_file * dataset.num_files_train
  // statscounter: npernode·samples·files // comm_size · record length (engines.md §2.2)
  const dataSizePerHostGB = (Math.floor((accelerators * samplesTotal) / totalRanks) * recordBytes) / 1024 / 1024 / 1024
  const rankPotentialCaching: 0 | 1 = dataSizePerHostGB <= host.memoryGB ? 1 : 0

  log.info(`mlps native engine: emulation of the DLIO training workload (not a DLIO run); format ${format.extension}`)
  if (workload.reader?.odirect === true && !DIRECT_READ_FORMATS.includes(format.extension)) {
    log.warning(`reader.odirect has no effect on ${format.extension} files: DLIO's O_DIRECT readers are for npz and npy, so these are read through the page cache as DLIO reads them`)
  }
  log.output(`Running DLIO [Training] with ${totalRanks} process(es)`)
  if (rankPotentialCaching) {
    log.warning('The amount of dataset is smaller than the host memory; data might be cached after the first epoch. Increase the size of dataset to eliminate the caching effect!!!')
  }
  log.output(
    `Max steps per epoch: ${plan.steps} = ${dataset.num_samples_per_file} * ${dataset.num_files_train} / ${plan.batchSize} / ${totalRanks} ` +
      '(samples per file * num files / batch size / comm size)',
  )

  // after the listing: an abort during it is heard now
  const stopThreads = stopThreadsOnAbort(control, threads, signal, 'the training run')
  // the threads are idle between epochs, so only the rendezvous's own abort can end a wait here
  const meet = async (barrier: string) => options.meet?.(barrier)
  // a failed step meeting (the rendezvous gone) stops this host's threads with it
  const stepsAcrossHosts = options.meetStep
    ? control.releaseStepsAcrossHosts(options.meetStep).catch((error: unknown) => {
      control.abort()
      threads.fail(error as Error)
    })
    : undefined

  const rankEpochs: RankEpochTimings[][] = acceleratorIndices.map(() => [])
  const rankMetrics: BlockMetrics[][] = acceleratorIndices.map(() => [])
  const epochWall: {start: number; end: number}[] = []
  const meminfoPerEpoch: Record<string, string>[] = []
  const dropCaches: TrainingResult['dropCaches'] = {requested: options.dropCachesBeforeEpoch ?? false, droppedBeforeEpochs: 0}
  let bytesRead = 0
  let stepsBeforeEpoch = 0
  const runStart = monotonicSeconds()
  let progressTimer: NodeJS.Timeout | undefined

  try {
    await threads.collect('ready')
    for (let epoch = 1; epoch <= plan.epochs; epoch++) {
      if (dropCaches.requested && dropCaches.failure === undefined) {
        const outcome = dropPageCache()
        if (outcome.dropped) dropCaches.droppedBeforeEpochs++
        else {
          dropCaches.failure = outcome.reason
          log.warning(`Dropping the page cache before each epoch is disabled: ${outcome.reason}`)
        }
      }
      await meet(`epoch ${epoch} start`)
      const epochStart = wallClockMs()
      log.output(`Starting epoch ${epoch}: ${plan.steps} steps expected`)
      log.output('Starting block 1')
      const order = epochFileOrder(files.length, epoch, workload.reader?.file_shuffle ?? 'off', plan.seed)
      for (const channel of channels) channel.fill(0)
      for (const rank of acceleratorIndices) {
        const samples = rankSamples(order, dataset.num_samples_per_file, globalRanks[rank], totalRanks, workload.reader?.sample_shuffle ?? 'off', plan.seed, epoch)
        const message: ReaderEpochMessage = {type: 'epoch', steps: plan.steps, batchSize: plan.batchSize, paths, files: samples.files.buffer as SharedArrayBuffer, samples: samples.samples.buffer as SharedArrayBuffer}
        for (const index of readerIndices(rank)) workers[index].postMessage(message)
      }
      const epochMessage: AcceleratorEpochMessage = {type: 'epoch', epoch, steps: plan.steps, computationTime: plan.computationTime}
      for (const rank of acceleratorIndices) workers[rank].postMessage(epochMessage)

      const report = () => options.onProgress?.(progressNow(epoch, epochStart))
      progressTimer = setInterval(report, PROGRESS_INTERVAL_MS)
      progressTimer.unref()
      const timings = await threads.collect('epochDone', acceleratorIndices)
      const readers = await threads.collect('epochDone', acceleratorIndices.flatMap(readerIndices))
      clearInterval(progressTimer)
      bytesRead += readers.reduce((sum, message) => sum + (message as {bytes: number}).bytes, 0)
      const epochEnd = wallClockMs()
      epochWall.push({start: epochStart, end: epochEnd})
      meminfoPerEpoch.push(procFileDict('/proc/meminfo'))
      for (const message of timings as RankEpochTimings[]) {
        const timing = {...message, rank: globalRanks[message.rank]}
        rankEpochs[message.rank].push(timing)
        rankMetrics[message.rank].push(blockMetrics(timing, plan.batchSize))
      }
      logEpoch(log, epoch, plan, rankEpochs[0].at(-1) as RankEpochTimings, rankMetrics[0].at(-1) as BlockMetrics, totalRanks, (epochEnd - epochStart) / 1000)
      report()
      stepsBeforeEpoch += plan.steps
      await meet(`epoch ${epoch} end`)
    }
  } catch (error) {
    logIncomplete(log, (error as Error).message)
    throw error
  } finally {
    clearInterval(progressTimer)
    await stopThreads()
    await stepsAcrossHosts
  }

  return {
    host, ranks: [...globalRanks], epochs: rankEpochs, epochWall, meminfoPerEpoch, potentialCaching: rankPotentialCaching, dataSizePerHostGB,
    dropCaches, bytesRead, stepsPerEpoch: plan.steps, startWallMs,
  }

  function progressNow(epoch: number, epochStartWallMs: number): TrainingProgress {
    const now = monotonicSeconds()
    const step = Math.min(...progress.map(p => p[PROGRESS_STEPS]))
    const auPerRank = progress.map(p => {
      const window = now - p[PROGRESS_BLOCK_START] - p[PROGRESS_FIRST_PROC]
      return p[PROGRESS_STEPS] > EXCLUDE_START_STEPS && window > 0 ? (100 * p[PROGRESS_COMPUTE]) / window : 0
    })
    const epochSeconds = (wallClockMs() - epochStartWallMs) / 1000
    const stepsDone = stepsBeforeEpoch + step
    const stepsLeft = plan.epochs * plan.steps - stepsDone
    // the epochs before this one (the epoch's own end is recorded before its last report)
    const earlier = epochWall.slice(0, epoch - 1)
    const secondsBefore = earlier.reduce((sum, wall) => sum + (wall.end - wall.start) / 1000, 0)
    const samplesBefore = earlier.length * plan.steps * plan.batchSize * accelerators
    const samplesNow = progress.reduce((sum, p) => sum + p[PROGRESS_STEPS], 0) * plan.batchSize
    const seconds = secondsBefore + epochSeconds
    const samplesPerSecond = seconds > 0 ? (samplesBefore + samplesNow) / seconds : 0
    const auBefore = earlier.map((_, e) => mean(rankMetrics.map(rank => rank[e].au)))
    const auSteps = earlier.length * plan.steps + step
    return {
      epoch,
      epochs: plan.epochs,
      step,
      stepsPerEpoch: plan.steps,
      samplesPerSecond,
      mibPerSecond: (samplesPerSecond * recordBytes) / 1024 / 1024,
      auPercent: auSteps > 0 ? (auBefore.reduce((sum, au) => sum + au * plan.steps, 0) + mean(auPerRank) * step) / auSteps : 0,
      etaSeconds: stepsDone > 0 ? ((now - runStart) / stepsDone) * stepsLeft : undefined,
    }
  }
}

export interface TrainingOutputsInput {
  workload: DlioTrainingWorkload
  outputDir: string
  log: DlioLog
  /** every host's part, the first one's rank 0 naming the run's host as DLIO's summary does */
  hosts: readonly HostTrainingRun[]
}

/**
 * The DLIO-shaped outputs of a run over one host or many (engines.md §2): one
 * `<rank>_per_epoch_stats.json` and `<rank>_output.json` per rank (each naming its host), and
 * summary.json with `num_hosts`, throughput summed over all ranks and AU per rank averaged.
 */
export async function writeTrainingOutputs(input: TrainingOutputsInput): Promise<TrainingResult> {
  const {workload, outputDir, log, hosts} = input
  const dataset = workload.dataset
  const batchSize = workload.reader?.batch_size ?? 1
  const ranks = hosts.flatMap(run => run.ranks.map((rank, local) => ({rank, run, epochs: run.epochs[local]}))).sort((a, b) => a.rank - b.rank)
  const metrics = ranks.map(entry => entry.epochs.map(timings => blockMetrics(timings, batchSize)))
  const metric = trainingMetric(metrics, dataset.record_length_bytes, workload.metric?.au ?? 0.9)
  const first = hosts[0]
  const totalRanks = ranks.length
  const samplesTotal = dataset.num_samples_per_file * dataset.num_files_train
  const recordBytes = dataset.format === 'parquet' && dataset.parquet?.columns?.length ? parquetRowBytes(dataset.parquet.columns) : dataset.record_length_bytes
  const summaryFile = path.join(outputDir, 'summary.json')
  const summary: DlioSummaryDocument = {
    start: dlioTimestamp(Math.min(...hosts.map(run => run.startWallMs))),
    num_accelerators: totalRanks,
    num_hosts: hosts.length,
    hostname: first.host.hostname,
    metric,
    num_files_train: dataset.num_files_train,
    num_files_eval: dataset.num_files_eval ?? 0,
    num_samples_per_file: dataset.num_samples_per_file,
    host_cpu_count: hosts.map(run => run.host.cpuCount),
    host_processor_name: first.host.processorName,
    potential_caching: hosts.map(run => (run.host.memoryGB > run.dataSizePerHostGB ? 1 : 0)),
    host_cpuinfo: first.host.cpuinfo,
    host_meminfo: first.host.meminfo,
    host_memory_GB: hosts.map(run => run.host.memoryGB),
    data_size_per_host_GB: first.dataSizePerHostGB,
    epochs: metric.train_au_percentage.length,
    end: dlioTimestamp(wallClockMs()),
    engine: 'native',
  }
  const perEpochFiles = ranks.map(({rank}) => path.join(outputDir, `${rank}_per_epoch_stats.json`))
  const outputFiles = ranks.map(({rank}) => path.join(outputDir, `${rank}_output.json`))
  await Promise.all(ranks.flatMap(({run, epochs}, i) => [
    writeFileAtomic(perEpochFiles[i], dlioJson(perEpochStats(epochs, run.epochWall))),
    writeFileAtomic(outputFiles[i], dlioJson(rankOutput(run.host, run.potentialCaching, epochs, metrics[i], run.meminfoPerEpoch, run.epochWall.map(wall => wall.end)))),
  ]))
  log.output(`Saved outputs in ${outputDir}`)
  log.metricBlock([
    `Number of Simulated Accelerators: ${totalRanks} `,
    `Training Accelerator Utilization [AU] (%): ${metric.train_au_mean_percentage.toFixed(4)} (${metric.train_au_stdev_percentage.toFixed(4)})`,
    `Training Throughput (samples/second): ${metric.train_throughput_mean_samples_per_second.toFixed(4)} (${metric.train_throughput_stdev_samples_per_second.toFixed(4)})`,
    `Training I/O Throughput (MiB/second): ${metric.train_io_mean_MB_per_second.toFixed(4)} (${metric.train_io_stdev_MB_per_second.toFixed(4)})`,
    `train_au_meet_expectation: ${metric.train_au_meet_expectation}`,
  ])
  log.output('outputs saved in RANKID_output.json')
  // summary.json last: its presence marks a complete run.
  await writeFileAtomic(summaryFile, dlioJson(summary))
  const failedDrop = hosts.find(run => run.dropCaches.failure !== undefined)
  return {
    summary,
    outputDir,
    files: {summary: summaryFile, dlioLog: log.file, perEpochStats: perEpochFiles, outputs: outputFiles},
    stepsPerEpoch: first.stepsPerEpoch,
    potentialCaching: hosts.some(run => samplesTotal * recordBytes < 5 * run.host.memoryBytes),
    dropCaches: {
      requested: first.dropCaches.requested,
      droppedBeforeEpochs: Math.min(...hosts.map(run => run.dropCaches.droppedBeforeEpochs)),
      ...(failedDrop ? {failure: hosts.length > 1 ? `${failedDrop.host.hostname}: ${failedDrop.dropCaches.failure}` : failedDrop.dropCaches.failure} : {}),
    },
    bytesRead: hosts.reduce((sum, run) => sum + run.bytesRead, 0),
  }
}

/** Rank 0's block lines, as DLIO logs them (engines.md §2.5): throughput shown × accelerators. */
function logEpoch(log: TrainingLog, epoch: number, plan: RunPlan, timings: RankEpochTimings, metrics: BlockMetrics, accelerators: number, epochSeconds: number): void {
  const measuredCompute = Array.from(timings.compute.subarray(EXCLUDE_START_STEPS))
  log.output(`Ending block 1 - ${plan.steps} steps completed in ${dlioDuration((timings.blockEndWallMs - timings.blockStartWallMs) / 1000)} s`)
  log.output(`Epoch ${epoch} - Block 1 [Training] Accelerator Utilization [AU] (%): ${metrics.au.toFixed(4)}`)
  log.output(`Epoch ${epoch} - Block 1 [Training] Throughput (samples/second): ${(metrics.throughput * accelerators).toFixed(4)}`)
  log.output(
    `Epoch ${epoch} - Block 1 [Training] Computation time per step (second): ${mean(measuredCompute).toFixed(4)}+/-${populationStdev(measuredCompute).toFixed(4)} ` +
      `(set value: {'mean': ${plan.computationTime}})`,
  )
  log.output(`Ending epoch ${epoch} - ${plan.steps} steps completed in ${dlioDuration(epochSeconds)} s`)
}

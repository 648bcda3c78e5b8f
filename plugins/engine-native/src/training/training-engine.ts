import {join, relative} from 'node:path'
import {readDlioSummary, summaryMetrics} from '@mlps/result-formats'
import type {TrainingRunOptions} from '@mlps/run-options'
import {ExitCode, MlpsError, type EnginePlan, type EngineResult, type RunContext} from 'mlps'
import {formatBytes, formatCount, formatDuration} from 'mlps/unstable'
import {trainingWorkload} from '../workload.js'
import {plannedDatasetBytes} from './training-preflight.js'
import {runsOnHosts} from '../hosts/runs-on-hosts.js'
import {hostObjectStorage} from '../s3/object-target.js'

/** The native engine's plan for a training command, printed by --dry-run. */
export function planTraining(ctx: RunContext<TrainingRunOptions>): EnginePlan {
  const workload = trainingWorkload(ctx)
  const {dataset} = workload
  if (ctx.command === 'datagen') {
    return {
      engine: 'native',
      summary: `write ${formatCount(dataset.num_files_train)} ${dataset.format} files (~${formatBytes(plannedDatasetBytes(ctx))}) into ${dataset.data_folder}/train with ${ctx.numProcesses} writers`,
      details: {dataFolder: dataset.data_folder, files: dataset.num_files_train, bytes: plannedDatasetBytes(ctx), writers: ctx.numProcesses},
    }
  }
  const accelerators = ctx.numProcesses ?? 1
  const batch = workload.reader?.batch_size ?? 1
  const stepsPerEpoch = Math.floor(dataset.num_files_train * dataset.num_samples_per_file / batch / accelerators)
  const epochs = workload.train?.epochs ?? 1
  const computeSeconds = stepsPerEpoch * epochs * (workload.train?.computation_time ?? 0)
  return {
    engine: 'native',
    summary: `${accelerators} emulated accelerators × ${workload.reader?.read_threads ?? 1} readers, ${epochs} epochs of ${stepsPerEpoch} steps (batch ${batch}), at least ${formatDuration(computeSeconds)} of compute, reading ${dataset.data_folder}/train`,
    details: {accelerators, stepsPerEpoch, epochs, batchSize: batch, minimumSeconds: computeSeconds},
  }
}

export async function executeDatagen(ctx: RunContext<TrainingRunOptions>, concurrency: number | undefined): Promise<EngineResult> {
  if (runsOnHosts(ctx)) return (await import('./datagen-on-hosts.js')).executeDatagenOnHosts(ctx, concurrency)
  const {generateTrainingData} = await import('./datagen.js')
  ctx.progress.stage(`Generating ${ctx.model} data`)
  let filesDone = 0
  const result = await generateTrainingData({
    workload: trainingWorkload(ctx),
    objectStorage: ctx.config.objectStorage,
    concurrency: concurrency ?? ctx.numProcesses,
    signal: ctx.signal,
    onProgress: p => {
      filesDone = p.filesDone
      ctx.progress.update({done: p.bytesDone, total: p.bytesTotal, unit: 'bytes', fields: {files: `${formatCount(p.filesDone)}/${formatCount(p.filesTotal)}`}})
    },
  }).catch(error => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC' && !/ENOSPC/.test(String((error as Error).message))) throw error
    const {dataset} = trainingWorkload(ctx)
    throw new MlpsError(`ran out of space after ${formatCount(filesDone)} of ${formatCount(dataset.num_files_train)} files`, {
      where: dataset.data_folder, exitCode: ExitCode.RunFailed,
      fix: 'free space or pick another --data-dir, then run the same command again: complete files are kept',
    })
  })
  ctx.progress.done(`wrote ${formatCount(result.filesWritten)} files (${formatBytes(result.bytesWritten)}), kept ${formatCount(result.filesKept)} complete ones, in ${formatDuration(result.seconds)}`)
  return {
    status: 'COMPLETED',
    metrics: {filesTotal: result.filesTotal, filesWritten: result.filesWritten, filesKept: result.filesKept, bytesTotal: result.bytesTotal, bytesWritten: result.bytesWritten, seconds: result.seconds},
    extra: {datagen: {trainFolder: result.trainFolder}},
  }
}

export async function executeRun(ctx: RunContext<TrainingRunOptions>): Promise<EngineResult> {
  if (runsOnHosts(ctx)) return executeRunOnHosts(ctx)
  const {runTraining} = await import('./run.js')
  ctx.progress.stage(`Training ${ctx.model} on ${ctx.numProcesses} emulated ${ctx.accelerator ?? ''} accelerators`)
  const result = await runTraining({
    workload: trainingWorkload(ctx),
    objectStorage: ctx.config.objectStorage,
    outputDir: ctx.leaf!,
    accelerators: ctx.numProcesses ?? 1,
    dropCachesBeforeEpoch: ctx.options.dropCaches ?? false,
    signal: ctx.signal,
    onProgress: p => ctx.progress.update({
      done: (p.epoch - 1) * p.stepsPerEpoch + p.step, total: p.epochs * p.stepsPerEpoch, unit: 'items',
      figures: [{value: p.samplesPerSecond, unit: 'samples/s'}, {value: p.mibPerSecond, unit: 'MiB/s'}, {name: 'AU', value: p.auPercent, unit: '%'}],
      fields: {epoch: `${p.epoch}/${p.epochs}`},
      etaSeconds: p.etaSeconds,
    }),
  })
  ctx.progress.done()
  // read back what was written, so the record holds exactly what the files say
  const summary = await readDlioSummary(result.files.summary)
  if (result.dropCaches.requested && result.dropCaches.failure) {
    ctx.addFinding({ruleId: 'native.dropCaches', severity: 'warn', message: `page cache not dropped: ${result.dropCaches.failure}`})
  }
  const files = [result.files.summary, result.files.dlioLog, ...result.files.perEpochStats, ...result.files.outputs]
  return {
    status: 'COMPLETED',
    metrics: {...summaryMetrics(summary), stepsPerEpoch: result.stepsPerEpoch, bytesRead: result.bytesRead},
    artifacts: files.map(file => relative(ctx.leaf!, file)),
    extra: {native: {potentialCaching: result.potentialCaching, dropCaches: result.dropCaches}},
  }
}

/** A training run whose ranks run on host workers (several hosts, or through the launcher): outputs gathered into the leaf. */
async function executeRunOnHosts(ctx: RunContext<TrainingRunOptions>): Promise<EngineResult> {
  const [{runOnHosts, seatRanks}, {trainingFromWire}, {writeTrainingOutputs}, {DlioLog, logIncomplete}, {hostsExtra, unfinishedResult}, {trainingHostsView}] = await Promise.all([
    import('../hosts/host-run.js'), import('../hosts/host-task.js'), import('./run.js'), import('./dlio-log.js'), import('../hosts/host-outcome.js'), import('../hosts/host-progress.js'),
  ])
  const leaf = ctx.leaf!
  const workload = trainingWorkload(ctx)
  const objectStorage = await hostObjectStorage(workload.dataset.data_folder, ctx.config.objectStorage, '--data-dir')
  const accelerators = ctx.numProcesses ?? 1
  const seats = seatRanks(ctx, accelerators)
  ctx.progress.stage(`Training ${ctx.model} on ${accelerators} emulated ${ctx.accelerator ?? ''} accelerators over ${seats.length} host${seats.length > 1 ? 's' : ''} (${seats.map(seat => `${seat.host}:${seat.ranks.length}`).join(', ')})`)
  const log = new DlioLog(join(leaf, 'dlio.log'))
  log.info('mlps native engine: emulation of the DLIO training workload (not a DLIO run), ranks on every host')
  log.output(`Running DLIO [Training] with ${accelerators} process(es) on ${seats.length} host(s)`)
  const outcome = await runOnHosts(ctx, {
    seats, label: 'training_run', logDir: leaf, view: trainingHostsView(workload.reader?.batch_size ?? 1),
    task: seat => ({kind: 'training', workload, accelerators: seat.ranks.length, ranks: [...seat.ranks], totalRanks: accelerators, dropCachesBeforeEpoch: ctx.options.dropCaches ?? false, ...(objectStorage ? {objectStorage} : {})}),
  })
  if (outcome.status !== 'COMPLETED') {
    logIncomplete(log, outcome.reason)
    ctx.progress.done()
    return unfinishedResult(outcome, leaf)
  }
  for (const barrier of outcome.barriers) log.output(`All ${seats.length} hosts reached ${barrier.name}`)
  const result = await writeTrainingOutputs({workload, outputDir: leaf, log, hosts: outcome.results.map(run => trainingFromWire(run as never))})
  ctx.progress.done()
  const summary = await readDlioSummary(result.files.summary)
  if (result.dropCaches.requested && result.dropCaches.failure) {
    ctx.addFinding({ruleId: 'native.dropCaches', severity: 'warn', message: `page cache not dropped: ${result.dropCaches.failure}`})
  }
  const files = [result.files.summary, result.files.dlioLog, ...result.files.perEpochStats, ...result.files.outputs, ...outcome.logs]
  return {
    status: 'COMPLETED',
    commands: outcome.commands,
    metrics: {...summaryMetrics(summary), stepsPerEpoch: result.stepsPerEpoch, bytesRead: result.bytesRead},
    artifacts: files.map(file => relative(leaf, file)),
    extra: {native: {potentialCaching: result.potentialCaching, dropCaches: result.dropCaches, hosts: hostsExtra(outcome)}},
  }
}

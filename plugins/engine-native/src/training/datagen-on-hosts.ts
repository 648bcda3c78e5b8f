import {relative} from 'node:path'
import type {TrainingRunOptions} from '@mlps/run-options'
import type {EngineResult, RunContext} from 'mlps'
import {formatBytes, formatCount, formatDuration} from 'mlps/unstable'
import {trainingWorkload} from '../workload.js'
import {hostObjectStorage} from '../s3/object-target.js'
import type {DatagenResult} from './datagen.js'

/**
 * Training datagen whose writers run on every host, as DLIO's ranks generate: the `-n` ranks are seated
 * on the hosts as for a run, and each host's worker writes its ranks' files (rank r of P: r, r + P, ...)
 * into the data folder, which every host sees at the same path (or into the bucket, each host with its
 * own client). Resumable per host as on one.
 */
export async function executeDatagenOnHosts(ctx: RunContext<TrainingRunOptions>, concurrency: number | undefined): Promise<EngineResult> {
  const [{runOnHosts, seatRanks}, {hostsExtra, unfinishedResult}, {datagenHostsView}] = await Promise.all([
    import('../hosts/host-run.js'), import('../hosts/host-outcome.js'), import('../hosts/host-progress.js'),
  ])
  const leaf = ctx.leaf!
  const workload = trainingWorkload(ctx)
  const objectStorage = await hostObjectStorage(workload.dataset.data_folder, ctx.config.objectStorage, '--data-dir')
  const ranks = Math.max(1, ctx.numProcesses ?? 1)
  const seats = seatRanks(ctx, ranks)
  ctx.progress.stage(`Generating ${ctx.model} data with ${ranks} writers over ${seats.length} host${seats.length > 1 ? 's' : ''} (${seats.map(seat => `${seat.host}:${seat.ranks.length}`).join(', ')})`)
  const outcome = await runOnHosts(ctx, {
    seats, label: 'datagen', logDir: leaf, view: datagenHostsView,
    task: seat => ({kind: 'datagen', workload, ranks: [...seat.ranks], totalRanks: ranks, writers: concurrency ?? seat.ranks.length, ...(objectStorage ? {objectStorage} : {})}),
  })
  if (outcome.status !== 'COMPLETED') {
    ctx.progress.done()
    return unfinishedResult(outcome, leaf)
  }
  const results = outcome.results as DatagenResult[]
  const total = (key: 'filesTotal' | 'filesWritten' | 'filesKept' | 'bytesTotal' | 'bytesWritten') => results.reduce((sum, result) => sum + result[key], 0)
  const seconds = Math.max(...results.map(result => result.seconds))
  ctx.progress.done(`wrote ${formatCount(total('filesWritten'))} files (${formatBytes(total('bytesWritten'))}) from ${seats.length} hosts, kept ${formatCount(total('filesKept'))} complete ones, in ${formatDuration(seconds)}`)
  return {
    status: 'COMPLETED',
    commands: outcome.commands,
    metrics: {filesTotal: total('filesTotal'), filesWritten: total('filesWritten'), filesKept: total('filesKept'), bytesTotal: total('bytesTotal'), bytesWritten: total('bytesWritten'), seconds},
    artifacts: outcome.logs.map(file => relative(leaf, file)),
    extra: {
      datagen: {
        trainFolder: results[0].trainFolder,
        hosts: seats.map((seat, i) => ({host: seat.host, ranks: [...seat.ranks], filesTotal: results[i].filesTotal, filesWritten: results[i].filesWritten, filesKept: results[i].filesKept, bytesWritten: results[i].bytesWritten})),
      },
      native: {hosts: hostsExtra(outcome)},
    },
  }
}

import {access, constants, stat} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {readDlioSummary, summaryMetrics} from '@mlps/result-formats'
import {type CheckpointingRunOptions, CheckpointingRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {type CheckContext, type CheckResult, type EnginePlan, type EngineResult, MlpsError, type PreflightCheck, type RunContext} from 'mlps'
import {formatBytes, isObjectStorageUri, nearestExisting} from 'mlps/unstable'
import {nativeRunCheck} from '../native-check.js'
import {runsOnHosts} from '../hosts/runs-on-hosts.js'
import {hostObjectStorage, objectTargetOf} from '../s3/object-target.js'
import {availableBytes} from '../io/free-space.js'
import {assertCheckpointsPresent} from './run-checkpoints.js'

const RULE = 'native.checkpoint'

interface CheckpointSettings {
  options: CheckpointingRunOptions
  folder: string
  writes: number
  reads: number
  timeBetween: number
  fsync: boolean
}

function settings(ctx: RunContext<CheckpointingRunOptions>): CheckpointSettings {
  const {options} = ctx
  const checkpoint = options.workload.checkpoint
  if (!checkpoint?.checkpoint_folder) throw new MlpsError('the workload has no checkpoint.checkpoint_folder', {where: '--checkpoint-folder', fix: 'pass --checkpoint-folder'})
  if (options.layout.ranks.length !== (ctx.numProcesses ?? 0)) {
    throw new MlpsError(`the checkpoint layout has ${options.layout.ranks.length} ranks but the run has ${ctx.numProcesses} processes`)
  }
  return {
    options,
    folder: checkpoint.checkpoint_folder,
    writes: checkpoint.num_checkpoints_write ?? 0,
    reads: checkpoint.num_checkpoints_read ?? 0,
    timeBetween: checkpoint.time_between_checkpoints ?? 0,
    fsync: checkpoint.fsync ?? false,
  }
}

export function planCheckpointing(ctx: RunContext<CheckpointingRunOptions>): EnginePlan {
  const s = settings(ctx)
  const perCheckpoint = s.options.layout.checkpointBytes
  const clear = s.options.cacheClearRequired && s.writes > 0 && s.reads > 0
  return {
    engine: 'native',
    summary: `${ctx.numProcesses} emulated ranks write ${s.writes} and read ${s.reads} checkpoints of ${formatBytes(perCheckpoint)} under ${s.folder}` +
      `${clear ? ', clearing the page cache in between' : ''}, ${s.timeBetween} s apart${s.options.scale === 1 ? '' : ` (scaled to ${s.options.scale})`}`,
    details: {checkpointFolder: s.folder, ranks: ctx.numProcesses, checkpointBytes: perCheckpoint, writes: s.writes, reads: s.reads, scale: s.options.scale,
      clearCacheBetweenPhases: clear, timeBetweenCheckpoints: s.timeBetween, fsync: s.fsync},
  }
}

/** The checkpoint folder's nearest existing folder, when it is a folder this user can write. */
async function writableFolder(folder: string): Promise<{existing: string} | {problem: string}> {
  const existing = await nearestExisting(folder)
  try {
    if (!(await stat(existing)).isDirectory()) throw new Error(`${existing} is a file, not a folder`)
    await access(existing, constants.W_OK)
    return {existing}
  } catch (error) {
    return {problem: (error as Error).message}
  }
}

/** The checkpoint section of the run a check looks at, when the run is a checkpointing one. */
function checkpointOf(ctx: CheckContext): CheckpointingRunOptions['workload']['checkpoint'] | undefined {
  return (ctx.run && runWithOptions(ctx.run, CheckpointingRunOptionsSchema))?.options.workload.checkpoint
}

const checkpointCheck = (check: {id: string; title: string; appliesTo?: (ctx: CheckContext) => boolean; run(ctx: RunContext<CheckpointingRunOptions>, s: CheckpointSettings): Promise<CheckResult>}) => nativeRunCheck({
  id: check.id, title: check.title, benchmark: 'checkpointing', commands: ['run'], schema: CheckpointingRunOptionsSchema, ...(check.appliesTo ? {appliesTo: check.appliesTo} : {}),
  run: ctx => check.run(ctx, settings(ctx)),
})

/**
 * What the native engine can tell before a checkpointing run starts: a
 * folder it cannot write or fill, checkpoints a read-only
 * run would miss, and a page-cache clearing it may not perform.
 */
export const checkpointChecks: PreflightCheck[] = [
  checkpointCheck({id: `${RULE}.folderWritable`, title: 'the checkpoint folder is writable', async run(_ctx, s) {
    // a bucket is probed by the core's mlps.s3Access (an object put and deleted)
    if (isObjectStorageUri(s.folder)) return {status: 'ok', detail: `not applicable: object storage (${s.folder})`}
    const folder = await writableFolder(s.folder)
    if ('problem' in folder) return {status: 'fail', detail: `cannot write the checkpoint folder ${s.folder}: ${folder.problem}`, fix: 'pick a --checkpoint-folder you can write'}
    return {status: 'ok', detail: `${folder.existing} is writable`}
  }}),
  checkpointCheck({id: `${RULE}.freeSpace`, title: 'free space for the checkpoints written', async run(_ctx, s) {
    if (isObjectStorageUri(s.folder)) return {status: 'ok', detail: `not applicable: object storage (${s.folder})`}
    const folder = await writableFolder(s.folder)
    if ('problem' in folder) return {status: 'skip', detail: `not evaluable: cannot write the checkpoint folder ${s.folder}`}
    const needed = s.options.layout.checkpointBytes * s.writes
    const free = await availableBytes(folder.existing).catch(() => undefined)
    if (free === undefined) return {status: 'skip', detail: `not evaluable: the free space of ${folder.existing} could not be read`}
    if (free < needed) {
      return {status: 'fail', detail: `${s.writes} checkpoints need ${formatBytes(needed)} but ${folder.existing} has ${formatBytes(free)} free`,
        fix: 'free space, pick another --checkpoint-folder, or (for a smoke run) --scale 0.001'}
    }
    return {status: 'ok', detail: `${s.writes} checkpoints need ${formatBytes(needed)}, ${folder.existing} has ${formatBytes(free)} free`}
  }}),
  checkpointCheck({id: `${RULE}.checkpointsPresent`, title: 'a read-only run finds the checkpoints it reads', appliesTo: ctx => {
    const checkpoint = checkpointOf(ctx)
    return (checkpoint?.num_checkpoints_write ?? 0) === 0 && (checkpoint?.num_checkpoints_read ?? 0) > 0
  }, async run(ctx, s) {
    const target = objectTargetOf(s.folder, ctx.config.objectStorage, '--checkpoint-folder')
    try {
      if (target) await (await import('../s3/object-checkpoints.js')).assertCheckpointObjectsPresent(target, s.options.layout.ranks.map(r => r.files), s.reads)
      else await assertCheckpointsPresent(s.folder, s.options.layout.ranks.map(r => r.files), s.reads)
    } catch (error) {
      // a bucket that cannot be asked is the mlps.s3 checks' to report
      if (target && error instanceof MlpsError) return {status: 'skip', detail: `not evaluable: ${target.uri} cannot be read (the mlps.s3 checks say why)`}
      return {status: 'fail', kind: 'input', detail: (error as Error).message}
    }
    return {status: 'ok', detail: `the ${s.reads} checkpoint(s) to read are in ${s.folder}`}
  }}),
  checkpointCheck({id: `${RULE}.cacheClear`, title: 'the page cache can be cleared between writing and reading',
    appliesTo: ctx => {
      const checkpoint = checkpointOf(ctx)
      return ctx.run?.options.cacheClearRequired === true && (checkpoint?.num_checkpoints_write ?? 0) > 0 && (checkpoint?.num_checkpoints_read ?? 0) > 0
    },
    async run(ctx) {
      if (process.getuid?.() === 0) return {status: 'ok', detail: 'running as root: /proc/sys/vm/drop_caches is written between the phases'}
      return {status: ctx.division === 'closed' ? 'fail' : 'warn',
        detail: `the checkpoints fit in 3 × client memory, so the page cache must be cleared between writing and reading (Rules 4.3.1), but this process is not root (uid ${process.getuid?.()}) and cannot write /proc/sys/vm/drop_caches: the reads would come from memory`,
        fix: 'run as root, or run the write/read pair (--num-checkpoints-read 0, clear the cache as root, then --num-checkpoints-write 0)'}
    }}),
]

export async function executeCheckpointing(ctx: RunContext<CheckpointingRunOptions>): Promise<EngineResult> {
  if (runsOnHosts(ctx)) return executeOnHosts(ctx)
  const {runCheckpoints} = await import('./run-checkpoints.js')
  const s = settings(ctx)
  ctx.progress.stage(`Checkpointing ${ctx.model} with ${ctx.numProcesses} emulated ranks`)
  const result = await runCheckpoints({
    folder: s.folder,
    objectStorage: ctx.config.objectStorage,
    ranks: s.options.layout.ranks.map(r => r.files),
    numCheckpointsWrite: s.writes,
    numCheckpointsRead: s.reads,
    timeBetweenCheckpoints: s.timeBetween,
    fsync: s.fsync,
    clearCacheBetweenPhases: s.options.cacheClearRequired,
    outputDir: ctx.leaf!,
    dataset: ctx.options.workload.dataset,
    signal: ctx.signal,
    onProgress: p => ctx.progress.update({
      done: p.bytesDone, total: p.bytesTotal, unit: 'bytes',
      fields: {checkpoint: `${p.phase === 'save' ? 'write' : 'read'} ${p.checkpoint}/${p.checkpoints}`},
    }),
  })
  ctx.progress.done()
  // read back what was written, so the record holds exactly what the files say
  const summary = await readDlioSummary(result.files.summary)
  if (result.cacheClear.required && s.writes > 0 && s.reads > 0 && !result.cacheClear.cleared) {
    ctx.addFinding({ruleId: `${RULE}.cacheClear`, severity: 'warn', message: `page cache not cleared between write and read: ${result.cacheClear.reason}`})
  }
  const files = [result.files.summary, result.files.dlioLog, ...result.files.perEpochStats]
  return {
    status: 'COMPLETED',
    metrics: {...summaryMetrics(summary), bytesWritten: result.bytesWritten, bytesRead: result.bytesRead},
    artifacts: files.map(file => relative(ctx.leaf!, file)),
    extra: {checkpointing: {
      scale: s.options.scale, checkpointBytes: result.checkpointBytes, checkpointFolder: s.folder,
      writeEndToReadStartSeconds: result.writeEndToReadStartSeconds, cacheClear: result.cacheClear,
    }},
  }
}

/** A checkpointing run whose ranks run on host workers: each host clears its own page cache between the phases. */
async function executeOnHosts(ctx: RunContext<CheckpointingRunOptions>): Promise<EngineResult> {
  const [{runOnHosts, seatRanks}, {writeCheckpointOutputs}, {DlioLog, logIncomplete}, {hostsExtra, unfinishedResult}, {checkpointHostsView}] = await Promise.all([
    import('../hosts/host-run.js'), import('./run-checkpoints.js'), import('../training/dlio-log.js'), import('../hosts/host-outcome.js'), import('../hosts/host-progress.js'),
  ])
  const s = settings(ctx)
  const objectStorage = await hostObjectStorage(s.folder, ctx.config.objectStorage, '--checkpoint-folder')
  const leaf = ctx.leaf!
  const files = s.options.layout.ranks.map(r => r.files)
  const checkpointBytes = s.options.layout.checkpointBytes
  const seats = seatRanks(ctx, files.length)
  ctx.progress.stage(`Checkpointing ${ctx.model} with ${files.length} emulated ranks over ${seats.length} host${seats.length > 1 ? 's' : ''} (${seats.map(seat => `${seat.host}:${seat.ranks.length}`).join(', ')})`)
  const log = new DlioLog(join(leaf, 'dlio.log'))
  log.info('mlps native engine: emulation of the DLIO checkpointing workload (not a DLIO run), ranks on every host')
  log.output(`Running DLIO [Checkpointing] with ${files.length} process(es) on ${seats.length} host(s)`)
  const outcome = await runOnHosts(ctx, {
    seats, label: 'checkpointing_run', logDir: leaf, view: checkpointHostsView,
    task: seat => ({
      kind: 'checkpointing', folder: s.folder, ranks: [...seat.ranks], files: seat.ranks.map(rank => [...files[rank]]), checkpointBytes,
      numCheckpointsWrite: s.writes, numCheckpointsRead: s.reads, timeBetweenCheckpoints: s.timeBetween, fsync: s.fsync, clearCacheBetweenPhases: s.options.cacheClearRequired,
      ...(objectStorage ? {objectStorage} : {}),
    }),
  })
  if (outcome.status !== 'COMPLETED') {
    logIncomplete(log, outcome.reason)
    ctx.progress.done()
    return unfinishedResult(outcome, leaf)
  }
  for (const barrier of outcome.barriers) log.output(`All ${seats.length} hosts reached ${barrier.name}`)
  const result = await writeCheckpointOutputs({outputDir: leaf, log, hosts: outcome.results as never, checkpointBytes, numCheckpointsWrite: s.writes, numCheckpointsRead: s.reads,
    dataset: ctx.options.workload.dataset, namesHosts: true})
  ctx.progress.done()
  const summary = await readDlioSummary(result.files.summary)
  if (result.cacheClear.required && s.writes > 0 && s.reads > 0 && !result.cacheClear.cleared) {
    ctx.addFinding({ruleId: `${RULE}.cacheClear`, severity: 'warn', message: `page cache not cleared between write and read: ${result.cacheClear.reason}`})
  }
  const artifacts = [result.files.summary, result.files.dlioLog, ...result.files.perEpochStats, ...outcome.logs]
  return {
    status: 'COMPLETED',
    commands: outcome.commands,
    metrics: {...summaryMetrics(summary), bytesWritten: result.bytesWritten, bytesRead: result.bytesRead},
    artifacts: artifacts.map(file => relative(leaf, file)),
    extra: {
      checkpointing: {
        scale: s.options.scale, checkpointBytes: result.checkpointBytes, checkpointFolder: s.folder,
        writeEndToReadStartSeconds: result.writeEndToReadStartSeconds, cacheClear: result.cacheClear,
      },
      native: {hosts: hostsExtra(outcome)},
    },
  }
}

import {trainHostRanks, type TrainingLog} from '../training/run.js'
import {dlioTimestamp, wallClockMs} from '../training/wall-clock.js'
import type {ObjectStorageConfig, ObjectStoreCredentials} from 'mlps/unstable'
import type {HostObjectStorage} from '../s3/object-target.js'
import type {HostTask} from './host-task.js'
import {UPLOAD_STOP_MS} from '../s3/upload-stop.js'
import {trainingToWire} from './host-task.js'
import {RendezvousClient, type WorkerTask} from './rendezvous-client.js'
import {CONNECT_TIMEOUT_VARIABLE, RENDEZVOUS_VARIABLE, TOKEN_VARIABLE} from './rendezvous-protocol.js'

/**
 * The native engine's worker on one host, started by the launcher (or SSH) with the rendezvous's
 * address in its environment. It runs this host's ranks as the controller asks, meets the other hosts
 * at the barriers, hands back the timings and exits; it stops at once when the controller aborts or
 * goes away, so nothing of a run is left on a host.
 */
const EXIT_FAILED = 1
const EXIT_USAGE = 2
const EXIT_UNREACHABLE = 3
/** A worker told to stop is gone within this (its threads given that long to end), however its ranks were busy. */
const WORKER_STOP_MS = 2000
/** ...and within this when its threads write to a bucket: they are given UPLOAD_STOP_MS to abort their multipart uploads first. */
const UPLOADING_WORKER_STOP_MS = UPLOAD_STOP_MS + WORKER_STOP_MS
const DATAGEN_PROGRESS_MS = 250

function hostLog(host: string): TrainingLog {
  const line = (level: string) => (message: string) => process.stdout.write(`[${level}] ${dlioTimestamp(wallClockMs())} ${host}: ${message}\n`)
  return {output: line('OUTPUT'), info: line('INFO'), warning: line('WARNING'), error: line('ERROR')}
}

/** The bucket's settings and credentials the controller sent, as the engine's options take them. */
function objectStorageOf(task: {objectStorage?: HostObjectStorage}): {objectStorage?: ObjectStorageConfig; objectCredentials?: ObjectStoreCredentials} {
  return task.objectStorage ? {objectStorage: task.objectStorage.config, objectCredentials: task.objectStorage.credentials} : {}
}

async function runTask(assigned: WorkerTask, client: RendezvousClient): Promise<unknown> {
  const task = assigned.task as HostTask
  switch (task.kind) {
    case 'probe':
      return {}
    case 'training':
      return trainingToWire(await trainHostRanks({
        workload: task.workload, accelerators: task.accelerators, ranks: task.ranks, totalRanks: task.totalRanks, hostname: assigned.host, ...objectStorageOf(task),
        dropCachesBeforeEpoch: task.dropCachesBeforeEpoch, signal: client.signal, meet: barrier => client.barrier(barrier), log: hostLog(assigned.host),
        meetStep: step => client.barrier(`step ${step}`, true), onProgress: progress => client.progress(progress),
      }))
    case 'datagen': {
      const {datagenShare, generateTrainingData} = await import('../training/datagen.js')
      // a progress per file would flood the rendezvous: the latest goes out every quarter second, and the last one at the end
      let latest: unknown
      const reporter = setInterval(() => latest !== undefined && client.progress(latest), DATAGEN_PROGRESS_MS)
      try {
        return await generateTrainingData({
          workload: task.workload, share: datagenShare(task.ranks, task.totalRanks, task.workload.dataset.num_files_train), concurrency: task.writers, ...objectStorageOf(task),
          signal: client.signal, onProgress: progress => { latest = progress },
        })
      } finally {
        clearInterval(reporter)
        if (latest !== undefined) client.progress(latest)
      }
    }
    case 'checkpointing': {
      const {checkpointHostRanks} = await import('../checkpoint/run-checkpoints.js')
      return checkpointHostRanks({
        folder: task.folder, ...objectStorageOf(task), ranks: task.files, globalRanks: task.ranks, checkpointBytes: task.checkpointBytes, numCheckpointsWrite: task.numCheckpointsWrite,
        numCheckpointsRead: task.numCheckpointsRead, timeBetweenCheckpoints: task.timeBetweenCheckpoints, fsync: task.fsync, clearCacheBetweenPhases: task.clearCacheBetweenPhases,
        hostname: assigned.host, signal: client.signal, meet: barrier => client.barrier(barrier), log: hostLog(assigned.host), onProgress: progress => client.progress(progress),
      })
    }
    case 'kvcache': {
      const {kvHostPasses} = await import('../kvcache/host-passes.js')
      return kvHostPasses({plan: task.plan, ranks: task.ranks, cacheRoot: task.cacheRoot, host: assigned.host, signal: client.signal, meet: barrier => client.barrier(barrier),
        onProgress: progress => client.progress(progress)})
    }
    default:
      throw new Error(`unknown task ${JSON.stringify((task as {kind?: unknown}).kind)}: the hosts run different versions of mlps`)
  }
}

async function main(): Promise<number> {
  const address = process.env[RENDEZVOUS_VARIABLE]
  const token = process.env[TOKEN_VARIABLE]
  if (!address || !token) {
    process.stderr.write(`mlps native worker: ${RENDEZVOUS_VARIABLE} and ${TOKEN_VARIABLE} are not set; this program is started by mlps on each host, not by hand\n`)
    return EXIT_USAGE
  }
  let client: RendezvousClient
  try {
    client = await RendezvousClient.connect(address, token, process.env, Number(process.env[CONNECT_TIMEOUT_VARIABLE]) || undefined)
    connected = client
  } catch (error) {
    process.stderr.write(`mlps native worker: cannot reach the controller's rendezvous at ${address}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`)
    return EXIT_UNREACHABLE
  }
  // a thread stuck in a read must not keep a stopped worker alive past the bound the controller waits for
  let stopWithinMs = WORKER_STOP_MS
  client.signal.addEventListener('abort', () => setTimeout(() => process.kill(process.pid, 'SIGKILL'), stopWithinMs).unref(), {once: true})
  try {
    const assigned = await client.task()
    if ((assigned.task as {objectStorage?: unknown}).objectStorage) stopWithinMs = UPLOADING_WORKER_STOP_MS
    const result = await runTask(assigned, client)
    client.done(result)
    await client.finished()
    return 0
  } catch (error) {
    process.stderr.write(`mlps native worker: ${(error as Error).message}\n`)
    // stopped by the controller: the connection closes as this process ends, which is what the controller waits for
    if (client.signal.aborted) return EXIT_FAILED
    client.failed((error as Error).message)
    client.close()
    return EXIT_FAILED
  }
}

const SIGNAL_NUMBERS = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const
let connected: RendezvousClient | undefined
// a launcher stopping the run signals every rank: say so (another host's failure may be the cause), then exit, ending this host's threads
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    const exit = () => process.exit(128 + SIGNAL_NUMBERS[signal])
    if (connected) connected.signalled(signal, exit)
    else exit()
  })
}

process.exitCode = await main()
// worker threads or a half-closed socket must not keep a finished worker alive
process.exit()

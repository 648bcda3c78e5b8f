import path from 'node:path'
import {parentPort, workerData} from 'node:worker_threads'

import {AbortError} from '../io/abort.js'
import {RunControl} from '../training/run-control.js'
import {wallClockMs} from '../training/wall-clock.js'
import {type CheckpointPhase, checkpointId, type PhaseMessage, type RankMessage, type RankWorkerData} from '../checkpoint/checkpoint-protocol.js'
import {PART_BYTES, partBytesFor, randomFill, uploadObject} from './object-upload.js'
import {keyOf, type ObjectTarget, openTarget} from './object-target.js'
import {type StopMessage, UploadStop} from './upload-stop.js'

/**
 * checkpoint/rank-worker.ts against a bucket: one emulated rank of DLIO's checkpoint loop, its shards
 * written as objects under `<prefix>/global_epoch1_step<n>/` (fresh random bytes; multipart uploads
 * with a few parts in flight for shards larger than a part) and read back with as many ranged GETs
 * in flight. An object exists once its upload completes, so there is nothing to fsync.
 */
const PARTS_IN_FLIGHT = 4
const {rank, ranks, files, target, ...shared}: RankWorkerData & {target: ObjectTarget} = workerData
const control = new RunControl(shared.control)
const progress = new Float64Array(shared.progress)
const port = parentPort as NonNullable<typeof parentPort>
const stop = new UploadStop(port)
const store = await openTarget(target, PARTS_IN_FLIGHT, stop.signal)
const scratches = Array.from({length: PARTS_IN_FLIGHT}, () => Buffer.allocUnsafe(PART_BYTES))

function account(chunk: Uint8Array): void {
  if (control.aborted) throw new AbortError('checkpoint I/O was aborted')
  progress[0] += chunk.byteLength
}

function saveObject(key: string, bytes: number): Promise<void> {
  return uploadObject(store, key, bytes, PARTS_IN_FLIGHT, buffer => {
    randomFill(buffer)
    account(buffer)
  })
}

async function loadObject(key: string, bytes: number): Promise<void> {
  const head = await store.headObject(key)
  const name = `s3://${target.bucket}/${key}`
  if (head === undefined) throw new Error(`${name} is missing: write the checkpoints first (--num-checkpoints-read 0) with the same model, processes and scale`)
  if (head.size !== bytes) throw new Error(`${name} has ${head.size} bytes but this checkpoint layout reads ${bytes}: it was written by another model, process count or scale; write the checkpoints again`)
  const partBytes = partBytesFor(bytes)
  const parts = Math.max(1, Math.ceil(bytes / partBytes))
  let next = 0
  await Promise.all(scratches.slice(0, Math.min(PARTS_IN_FLIGHT, parts)).map(async scratch => {
    for (let part = next++; part < parts; part = next++) {
      const offset = part * partBytes
      const length = Math.min(partBytes, bytes - offset)
      const got = await store.getObjectInto(key, scratch, {offset, length}, account)
      if (got !== length) throw new Error(`${name} gave ${got} of ${length} bytes at ${offset}: it changed while being read`)
    }
  }))
}

async function runPhase({phase, first, count, timeBetweenCheckpoints}: PhaseMessage): Promise<RankMessage> {
  for (let index = first; index < first + count; index++) {
    control.compute(timeBetweenCheckpoints)
    if (!control.arriveAndWait(ranks)) return {type: 'aborted'}
    if (rank === 0) port.postMessage({type: 'started', phase, index} satisfies RankMessage)
    const startWallMs = wallClockMs()
    let bytes = 0
    for (const file of files) {
      const key = keyOf(target, path.posix.join(checkpointId(index), file.name))
      if (phase === 'save') await saveObject(key, file.bytes)
      else await loadObject(key, file.bytes)
      bytes += file.bytes
    }
    port.postMessage({type: 'checkpoint', phase, index, rank, startWallMs, endWallMs: wallClockMs(), bytes} satisfies RankMessage)
  }
  return {type: 'phaseDone', phase: phase satisfies CheckpointPhase}
}

port.on('message', (message: PhaseMessage | StopMessage) => {
  if (stop.handle(message)) return
  stop.track(runPhase(message as PhaseMessage)).then(result => port.postMessage(result), (error: unknown) => {
    // kept for the answer to the stop that follows an abort (the coordinator always asks)
    stop.noteLeftOpen(error)
    // a stopped run's requests fail as they are cancelled: that is the abort, not a failure of its own
    if (error instanceof AbortError || control.aborted || stop.stopping) {
      port.postMessage({type: 'aborted'} satisfies RankMessage)
      return
    }
    // thrown outside the promise, so the thread fails as the filesystem rank's would
    setImmediate(() => {
      throw error
    })
  })
})
port.postMessage({type: 'ready'} satisfies RankMessage)

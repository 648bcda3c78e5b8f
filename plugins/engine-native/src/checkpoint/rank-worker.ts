import fs from 'node:fs'
import path from 'node:path'
import {parentPort, workerData} from 'node:worker_threads'

import {AbortError} from '../io/abort.js'
import {readRange, writeRandom} from '../io/file-io.js'
import {RunControl} from '../training/run-control.js'
import {wallClockMs} from '../training/wall-clock.js'
import {type CheckpointPhase, checkpointId, type PhaseMessage, type RankMessage, type RankWorkerData} from './checkpoint-protocol.js'

/**
 * One emulated rank of DLIO's checkpoint loop (engines.md §2.7, DLIO main.py
 * `_checkpoint_write` / `_checkpoint_read`): sleep time_between_checkpoints,
 * barrier, then start → write (or read) this rank's shard files → end, on
 * this rank's own clock. Written bytes are fresh random data (no free ride
 * for deduplicating or compressing storage), each file fsynced when asked.
 */
const CHUNK_BYTES = 4 << 20
const {rank, ranks, folder, files, fsync, ...shared}: RankWorkerData = workerData
const control = new RunControl(shared.control)
const progress = new Float64Array(shared.progress)
const port = parentPort as NonNullable<typeof parentPort>
const scratch = Buffer.allocUnsafe(CHUNK_BYTES)

function account(chunk: Buffer): void {
  if (control.aborted) throw new AbortError('checkpoint I/O was aborted')
  progress[0] += chunk.length
}

function saveFile(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w')
  try {
    writeRandom(fd, scratch, bytes, account)
    if (fsync) fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

function loadFile(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    if (size !== bytes) throw new Error(`${file} has ${size} bytes but this checkpoint layout reads ${bytes}: it was written by another model, process count or scale; write the checkpoints again`)
    readRange(fd, scratch, 0, bytes, file, 'the checkpoint shard', account)
  } finally {
    fs.closeSync(fd)
  }
}

function runPhase({phase, first, count, timeBetweenCheckpoints}: PhaseMessage): RankMessage {
  for (let index = first; index < first + count; index++) {
    control.compute(timeBetweenCheckpoints)
    if (!control.arriveAndWait(ranks)) return {type: 'aborted'}
    if (rank === 0) port.postMessage({type: 'started', phase, index} satisfies RankMessage)
    const startWallMs = wallClockMs()
    const dir = path.join(folder, checkpointId(index))
    if (phase === 'save') fs.mkdirSync(dir, {recursive: true})
    let bytes = 0
    for (const file of files) {
      if (phase === 'save') saveFile(path.join(dir, file.name), file.bytes)
      else loadFile(path.join(dir, file.name), file.bytes)
      bytes += file.bytes
    }
    port.postMessage({type: 'checkpoint', phase, index, rank, startWallMs, endWallMs: wallClockMs(), bytes} satisfies RankMessage)
  }
  return {type: 'phaseDone', phase: phase satisfies CheckpointPhase}
}

port.on('message', (message: PhaseMessage) => {
  try {
    port.postMessage(runPhase(message))
  } catch (error) {
    if (error instanceof AbortError) port.postMessage({type: 'aborted'} satisfies RankMessage)
    else throw error
  }
})
port.postMessage({type: 'ready'} satisfies RankMessage)

import fs from 'node:fs'
import path from 'node:path'
import {parentPort, workerData} from 'node:worker_threads'

import type {DlioTrainingWorkload} from '../workload.js'
import {formatForDataset} from '../formats/format-for-dataset.js'
import {DATAGEN_SCRATCH_BYTES, type DatagenWorkerMessage} from '../training/datagen-protocol.js'
import {fileFill, uploadObject} from './object-upload.js'
import {type ObjectTarget, openTarget, trainObjectKey} from './object-target.js'
import {type StopMessage, UploadStop} from './upload-stop.js'

export interface ObjectDatagenWorkerData {
  workload: DlioTrainingWorkload
  target: ObjectTarget
  /** this run's staging folder (memory-backed where possible) */
  staging: string
  /** Int32Array of the generation indices still to write */
  pending: SharedArrayBuffer
  /** Int32Array[1]: next slot of `pending` to claim */
  nextPending: SharedArrayBuffer
}

/** Parts of one object on the wire at once, per writer. */
const PARTS_IN_FLIGHT = 4

const {workload, target, staging, pending, nextPending}: ObjectDatagenWorkerData = workerData
const format = await formatForDataset(workload.dataset)
const scratch = Buffer.allocUnsafeSlow(DATAGEN_SCRATCH_BYTES)
const cursor = new Int32Array(nextPending)
const queue = new Int32Array(pending)
const port = parentPort as NonNullable<typeof parentPort>
const stop = new UploadStop(port)
const onMessage = (message: StopMessage) => stop.handle(message)
port.on('message', onMessage)
const store = await openTarget(target, PARTS_IN_FLIGHT, stop.signal)

// Files are claimed one at a time from a shared cursor, so fast workers take more; each is written
// by the same format code as on a filesystem, then uploaded, so the objects are byte for byte those files.
async function writeClaimedFiles(): Promise<void> {
  for (let slot = Atomics.add(cursor, 0, 1); slot < queue.length && !stop.stopping; slot = Atomics.add(cursor, 0, 1)) {
    const index = queue[slot]
    const staged = path.join(staging, `${index}.${format.extension}`)
    const fd = fs.openSync(staged, 'w+')
    try {
      format.writeFile(fd, index, scratch)
      const bytes = fs.fstatSync(fd).size
      await uploadObject(store, trainObjectKey(workload.dataset, target, index), bytes, PARTS_IN_FLIGHT, fileFill(fd))
      port.postMessage({type: 'file', index, bytes} satisfies DatagenWorkerMessage)
    } finally {
      fs.closeSync(fd)
      fs.rmSync(staged, {force: true})
    }
  }
}

try {
  await stop.track(writeClaimedFiles())
  if (!stop.stopping) port.postMessage({type: 'idle'} satisfies DatagenWorkerMessage)
} catch (error) {
  stop.noteLeftOpen(error)
  // asked to stop: the cancelled requests are that stop, and its answer says what could not be aborted
  if (!stop.stopping) throw error
} finally {
  store.close()
  port.off('message', onMessage)
}

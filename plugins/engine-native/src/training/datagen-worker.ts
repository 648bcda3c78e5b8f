import fs from 'node:fs'
import {parentPort, workerData} from 'node:worker_threads'

import {formatForDataset} from '../formats/format-for-dataset.js'
import {trainFilePath} from '../formats/dataset-layout.js'
import {DATAGEN_SCRATCH_BYTES, type DatagenWorkerData, type DatagenWorkerMessage, partialPath} from './datagen-protocol.js'

const {workload, dataFolder, pending, nextPending}: DatagenWorkerData = workerData
const format = await formatForDataset(workload.dataset)
const scratch = Buffer.allocUnsafeSlow(DATAGEN_SCRATCH_BYTES)
const cursor = new Int32Array(nextPending)
const queue = new Int32Array(pending)

function post(message: DatagenWorkerMessage): void {
  parentPort?.postMessage(message)
}

// Files are claimed one at a time from a shared cursor, so fast workers take more.
for (let slot = Atomics.add(cursor, 0, 1); slot < queue.length; slot = Atomics.add(cursor, 0, 1)) {
  const index = queue[slot]
  const target = trainFilePath(workload.dataset, dataFolder, index)
  const partial = partialPath(target)
  const fd = fs.openSync(partial, 'w')
  try {
    format.writeFile(fd, index, scratch)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(partial, target)
  post({type: 'file', index, bytes: fs.statSync(target).size})
}
post({type: 'idle'})

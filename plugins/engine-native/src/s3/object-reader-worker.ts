import {parentPort, workerData} from 'node:worker_threads'

import {formatForDataset} from '../formats/format-for-dataset.js'
import {CONSUMED, READ_SCRATCH_BYTES, READY_BASE, type ReaderEpochMessage, type ReaderMessage, type ReaderWorkerData} from '../training/run-protocol.js'
import {PathTable} from '../training/shared-paths.js'
import {RunControl} from '../training/run-control.js'
import {objectSampleReader} from './object-sample-readers.js'
import {type ObjectTarget, openTarget} from './object-target.js'

/**
 * training/reader-worker.ts against a bucket: one of an accelerator's `read_threads` loaders, which
 * builds whole batches (b ≡ readerIndex mod read_threads) one sample after the other — one request
 * on the wire per reader, as a DataLoader worker has one read in flight — and may run at most
 * `depth` batches ahead of the accelerator. The epoch's path table holds object keys.
 */
const {workload, readerIndex, readThreads, depth, target, ...shared}: ReaderWorkerData & {target: ObjectTarget} = workerData
const control = new RunControl(shared.control)
const channel = new Int32Array(shared.channel)
const store = await openTarget(target, 2)
const format = await formatForDataset(workload.dataset)
const scratch = Buffer.allocUnsafeSlow(READ_SCRATCH_BYTES)
const port = parentPort as NonNullable<typeof parentPort>

async function runEpoch({steps, batchSize, ...order}: ReaderEpochMessage): Promise<ReaderMessage> {
  const keys = new PathTable(order.paths)
  const files = new Int32Array(order.files)
  const samples = new Int32Array(order.samples)
  // a new epoch is a new DataLoader iterator: nothing cached carries over
  const reader = objectSampleReader(workload.dataset, format, store, scratch)
  let bytes = 0
  for (let batch = readerIndex; batch < steps; batch += readThreads) {
    if (!control.waitAtLeast(channel, CONSUMED, batch - depth + 1)) break
    for (let k = batch * batchSize; k < (batch + 1) * batchSize; k++) bytes += await reader.readSample(keys.get(files[k]), samples[k])
    Atomics.store(channel, READY_BASE + (batch % depth), batch + 1)
    Atomics.notify(channel, READY_BASE + (batch % depth))
  }
  return {type: 'epochDone', bytes}
}

// epochs come one at a time (the coordinator waits for every reader's epochDone before the next)
port.on('message', (message: ReaderEpochMessage) => {
  runEpoch(message).then(result => port.postMessage(result), (error: unknown) => {
    // thrown outside the promise, so the thread fails as a synchronous reader's would
    setImmediate(() => {
      throw error
    })
  })
})
port.postMessage({type: 'ready'} satisfies ReaderMessage)

import {parentPort, workerData} from 'node:worker_threads'

import {formatForDataset} from '../formats/format-for-dataset.js'
import {pageAlignedBuffer} from '../io/aligned-buffer.js'
import {CONSUMED, READ_SCRATCH_BYTES, READY_BASE, type ReaderEpochMessage, type ReaderMessage, type ReaderWorkerData} from './run-protocol.js'
import {PathTable} from './shared-paths.js'
import {RunControl} from './run-control.js'

/**
 * One of an accelerator's `read_threads` loaders, like a PyTorch DataLoader
 * worker process: it builds whole batches (b ≡ readerIndex mod read_threads),
 * reading each sample into one reused buffer, and may run at most `depth`
 * batches ahead of the accelerator (read_threads × prefetch_factor in flight).
 */
const {workload, readerIndex, readThreads, depth, ...shared}: ReaderWorkerData = workerData
const control = new RunControl(shared.control)
const channel = new Int32Array(shared.channel)
const reader = (await formatForDataset(workload.dataset)).createSampleReader(pageAlignedBuffer(READ_SCRATCH_BYTES), {direct: workload.reader?.odirect === true})
const port = parentPort as NonNullable<typeof parentPort>

function runEpoch({steps, batchSize, ...order}: ReaderEpochMessage): ReaderMessage {
  const paths = new PathTable(order.paths)
  const files = new Int32Array(order.files)
  const samples = new Int32Array(order.samples)
  let bytes = 0
  for (let batch = readerIndex; batch < steps; batch += readThreads) {
    if (!control.waitAtLeast(channel, CONSUMED, batch - depth + 1)) break
    for (let k = batch * batchSize; k < (batch + 1) * batchSize; k++) bytes += reader.readSample(paths.get(files[k]), samples[k])
    Atomics.store(channel, READY_BASE + (batch % depth), batch + 1)
    Atomics.notify(channel, READY_BASE + (batch % depth))
  }
  // A new epoch is a new DataLoader iterator: nothing cached carries over.
  reader.close()
  return {type: 'epochDone', bytes}
}

port.on('message', (message: ReaderEpochMessage) => port.postMessage(runEpoch(message)))
port.postMessage({type: 'ready'} satisfies ReaderMessage)

import {parentPort, workerData} from 'node:worker_threads'

import {
  type AcceleratorEpochMessage,
  type AcceleratorMessage,
  type AcceleratorWorkerData,
  CONSUMED,
  PROGRESS_BLOCK_START,
  PROGRESS_COMPUTE,
  PROGRESS_FIRST_PROC,
  PROGRESS_STEPS,
  READY_BASE,
} from './run-protocol.js'
import {monotonicSeconds} from './precise-sleep.js'
import {RunControl} from './run-control.js'
import {wallClockMs} from './wall-clock.js'

/**
 * One emulated accelerator: DLIO's `_train` step loop (engines.md §1.6) with
 * its statscounter clocks (§2.7): load = start_loading → batch_loaded,
 * compute = the emulated compute, proc = start_loading → batch_processed,
 * then a barrier across all accelerators before the next start_loading.
 */
const {rank, ranks, depth, ...shared}: AcceleratorWorkerData = workerData
const control = new RunControl(shared.control)
const channel = new Int32Array(shared.channel)
const progress = new Float64Array(shared.progress)
const port = parentPort as NonNullable<typeof parentPort>

function runEpoch({epoch, steps, computationTime}: AcceleratorEpochMessage): AcceleratorMessage {
  const load = new Float64Array(steps)
  const proc = new Float64Array(steps)
  const compute = new Float64Array(steps)
  const blockStartWallMs = wallClockMs()
  const blockStart = monotonicSeconds()
  progress.fill(0)
  progress[PROGRESS_BLOCK_START] = blockStart
  let loadingStart = blockStart
  for (let step = 0; step < steps; step++) {
    if (!control.waitAtLeast(channel, READY_BASE + (step % depth), step + 1)) return {type: 'aborted'}
    const loaded = monotonicSeconds()
    load[step] = loaded - loadingStart
    // Taking the batch frees a prefetch slot at once, as PyTorch's DataLoader hands out the next index.
    Atomics.store(channel, CONSUMED, step + 1)
    Atomics.notify(channel, CONSUMED)
    const computeStart = monotonicSeconds()
    control.compute(computationTime)
    const processed = monotonicSeconds()
    compute[step] = processed - computeStart
    proc[step] = processed - loadingStart
    if (step === 0) progress[PROGRESS_FIRST_PROC] = proc[step]
    else progress[PROGRESS_COMPUTE] += compute[step]
    progress[PROGRESS_STEPS] = step + 1
    if (!control.arriveAndWait(ranks)) return {type: 'aborted'}
    loadingStart = monotonicSeconds()
  }
  const blockEnd = monotonicSeconds()
  return {type: 'epochDone', rank, epoch, load, proc, compute, blockStart, blockEnd, blockStartWallMs, blockEndWallMs: wallClockMs()}
}

port.on('message', (message: AcceleratorEpochMessage) => {
  const result = runEpoch(message)
  port.postMessage(result, result.type === 'epochDone' ? [result.load.buffer as ArrayBuffer, result.proc.buffer as ArrayBuffer, result.compute.buffer as ArrayBuffer] : [])
})
port.postMessage({type: 'ready'} satisfies AcceleratorMessage)

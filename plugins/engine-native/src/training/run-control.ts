import {preciseSleep} from './precise-sleep.js'

/**
 * Shared-memory control of a run's threads: DLIO's per-step `comm.barrier()`
 * ("simulate allreduce", engines.md §1.6) across the accelerator threads, and
 * an abort flag. Every wait is in short slices or wakes on abort, so threads
 * notice an abort within ~100 ms even without being terminated.
 */
const COUNT = 0
const GENERATION = 1
const ABORTED = 2
const CONTROL_INTS = 3
const WAIT_SLICE_MS = 100

export class RunControl {
  readonly ints: Int32Array

  constructor(buffer: SharedArrayBuffer) {
    this.ints = new Int32Array(buffer)
  }

  static allocate(): RunControl {
    return new RunControl(new SharedArrayBuffer(CONTROL_INTS * 4))
  }

  get buffer(): SharedArrayBuffer {
    return this.ints.buffer as SharedArrayBuffer
  }

  get aborted(): boolean {
    return Atomics.load(this.ints, ABORTED) !== 0
  }

  abort(): void {
    Atomics.store(this.ints, ABORTED, 1)
    Atomics.notify(this.ints, GENERATION)
    Atomics.notify(this.ints, ABORTED)
  }

  /** The emulated compute: a precise sleep that an abort cuts short. */
  compute(seconds: number): void {
    preciseSleep(seconds, this.ints, ABORTED)
  }

  /** Returns false when the run was aborted while waiting. */
  arriveAndWait(parties: number): boolean {
    const generation = Atomics.load(this.ints, GENERATION)
    if (Atomics.add(this.ints, COUNT, 1) === parties - 1) {
      Atomics.store(this.ints, COUNT, 0)
      Atomics.add(this.ints, GENERATION, 1)
      Atomics.notify(this.ints, GENERATION)
      return !this.aborted
    }
    while (Atomics.load(this.ints, GENERATION) === generation) {
      if (this.aborted) return false
      Atomics.wait(this.ints, GENERATION, generation, WAIT_SLICE_MS)
    }
    return !this.aborted
  }

  /**
   * Blocks until `ints[index] >= target` (values only grow), notified by
   * whoever raises them. Returns false when the run was aborted.
   */
  waitAtLeast(ints: Int32Array, index: number, target: number): boolean {
    for (let value = Atomics.load(ints, index); value < target; value = Atomics.load(ints, index)) {
      if (this.aborted) return false
      Atomics.wait(ints, index, value, WAIT_SLICE_MS)
    }
    return true
  }
}

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
/** 1 when the step barrier spans hosts: the last local arrival hands over to the coordinator instead of releasing */
const ACROSS_HOSTS = 3
/** the generation whose local arrivals are complete, raised for the coordinator to meet the other hosts */
const LOCAL_ARRIVED = 4
const CONTROL_INTS = 5

/** Node 20 has Atomics.waitAsync; the TypeScript lib this project targets does not declare it yet. */
const waitAsync = (Atomics as unknown as {
  waitAsync(ints: Int32Array, index: number, value: number): {async: false; value: string} | {async: true; value: Promise<string>}
}).waitAsync
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
    Atomics.notify(this.ints, LOCAL_ARRIVED)
  }

  /**
   * Makes every step barrier span hosts, as DLIO's `comm.barrier()` spans all ranks: once this host's
   * threads have all arrived, `meet` (the rendezvous) must resolve before they are released. Runs on
   * the coordinating thread until the run is aborted.
   */
  async releaseStepsAcrossHosts(meet: (step: number) => Promise<void>): Promise<void> {
    Atomics.store(this.ints, ACROSS_HOSTS, 1)
    for (let seen = 0; ;) {
      const waited = waitAsync(this.ints, LOCAL_ARRIVED, seen)
      if (waited.async) await waited.value
      if (this.aborted) return
      seen = Atomics.load(this.ints, LOCAL_ARRIVED)
      await meet(seen)
      Atomics.add(this.ints, GENERATION, 1)
      Atomics.notify(this.ints, GENERATION)
    }
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
      if (Atomics.load(this.ints, ACROSS_HOSTS) === 1) {
        Atomics.store(this.ints, LOCAL_ARRIVED, generation + 1)
        Atomics.notify(this.ints, LOCAL_ARRIVED)
      } else {
        Atomics.add(this.ints, GENERATION, 1)
        Atomics.notify(this.ints, GENERATION)
        return !this.aborted
      }
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

/**
 * Sleeps `seconds` with sub-millisecond accuracy on a thread that may block
 * (a worker): a coarse `Atomics.wait` for all but the last millisecond, then
 * a spin on the monotonic clock. Timers alone overshoot by ~1 ms, which would
 * swamp dlrm's 0.375 ms step (engines.md §6.4). Never returns early unless
 * `interrupt[index]` becomes non-zero (and is notified), e.g. on abort.
 */
const SPIN_NANOSECONDS = 1_000_000n
const neverInterrupted = new Int32Array(new SharedArrayBuffer(4))

export function preciseSleep(seconds: number, interrupt: Int32Array = neverInterrupted, index = 0): void {
  if (!(seconds > 0)) return
  const start = process.hrtime.bigint()
  const duration = BigInt(Math.round(seconds * 1e9))
  const deadline = start + duration
  if (duration > SPIN_NANOSECONDS) Atomics.wait(interrupt, index, 0, Number(duration - SPIN_NANOSECONDS) / 1e6)
  while (process.hrtime.bigint() < deadline && Atomics.load(interrupt, index) === 0) {
    // spin: the remaining time is below the timer resolution
  }
}

/** Monotonic seconds shared by all threads of the process (CLOCK_MONOTONIC). */
export function monotonicSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9
}

import type {ClockOffset} from './host-facts.js'

/**
 * A clock offset as a reader should take it: an offset no larger than its own uncertainty is no
 * measured difference (a loopback host's "+308 ms ± 309" is the round trip, not the clock), so it is
 * said to be within the uncertainty rather than reported as a figure.
 */
export function describeClockOffset(clock: ClockOffset): string {
  const sign = clock.offsetMs >= 0 ? '+' : ''
  if (Math.abs(clock.offsetMs) <= clock.uncertaintyMs) return `in step to within ± ${clock.uncertaintyMs} ms (measured ${sign}${clock.offsetMs} ms, inside its uncertainty)`
  return `${sign}${clock.offsetMs} ms ± ${clock.uncertaintyMs} ms`
}

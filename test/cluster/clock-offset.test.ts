import assert from 'node:assert/strict'
import {clockOffset} from '../../src/cluster/build-snapshot.js'
import {describeClockOffset} from '../../src/cluster/describe-clock.js'

describe('clock offset from one exchange', () => {
  it('a host on the same clock that read it just after the reply was stamped (Date.now floors) is in step, not a figure', () => {
    // sent at 1000.9 and received at 1363.9 are stamped 1000 and 1363; the host read 1363.5 on the same clock
    const clock = clockOffset(1363.5, 1000, 1363)
    assert.ok(Math.abs(clock.offsetMs) <= clock.uncertaintyMs, JSON.stringify(clock))
    assert.match(describeClockOffset(clock), /^in step to within ± /)
  })

  it('a real offset beyond the round trip is reported as a figure', () => {
    const clock = clockOffset(5000, 1000, 1010)
    assert.equal(clock.offsetMs, 3995)
    assert.equal(describeClockOffset(clock), `+3995 ms ± ${clock.uncertaintyMs} ms`)
  })
})

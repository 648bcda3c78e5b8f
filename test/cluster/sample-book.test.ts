import assert from 'node:assert/strict'
import {MAX_SAMPLES_PER_HOST, SampleBook, waitForFirstSamples} from '../../src/cluster/time-series.js'
import {gatherLocal} from '../../src/cluster/gather-local.js'
import {volatileFromRaw} from '../../src/cluster/host-facts-from-raw.js'

const sample = () => {
  const raw = gatherLocal('sample')
  return {time: new Date(raw.timeMs).toISOString(), volatile: volatileFromRaw(raw)}
}

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([promise.then(() => true), new Promise<boolean>(resolve => setTimeout(() => resolve(false), ms))])
}

describe('the sample book: what the samplers wait on before the run starts', () => {
  it('sampled(hosts) resolves only once every one of them has a sample', async () => {
    const book = new SampleBook(['a', 'b'])
    const both = book.sampled(['a', 'b'])
    book.add('a', sample())
    assert.equal(await settledWithin(both, 20), false, 'resolved with b still unsampled')
    book.add('b', sample())
    assert.equal(await settledWithin(both, 20), true)
    assert.equal(await settledWithin(book.sampled(['a']), 20), true, 'a host already sampled resolves at once')
  })

  it('the cap drops samples past it and counts them', () => {
    const book = new SampleBook(['a'])
    const entry = sample()
    for (let i = 0; i <= MAX_SAMPLES_PER_HOST; i++) book.add('a', entry)
    assert.equal(book.samplesByHost.a.length, MAX_SAMPLES_PER_HOST)
    assert.equal(book.dropped, 1)
  })

  it('waitForFirstSamples ends when the gatherers end, when the run is aborted, or when the wait runs out', async () => {
    const never = new Promise<void>(() => {})
    assert.equal(await settledWithin(waitForFirstSamples(never, {ended: Promise.resolve()}), 200), true)
    const aborted = new AbortController()
    const waiting = waitForFirstSamples(never, {signal: aborted.signal})
    aborted.abort()
    assert.equal(await settledWithin(waiting, 200), true)
    const runningOut = waitForFirstSamples(never, {timeoutMs: 300})
    assert.equal(await settledWithin(runningOut, 100), false, 'the wait ended before its time')
    assert.equal(await settledWithin(runningOut, 500), true)
  })
})

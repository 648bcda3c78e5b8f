import assert from 'node:assert/strict'
import {EtaSmoother} from '../../src/ux/eta-smoother.js'
import {createProgress, type ProgressMode, resolveProgressMode} from '../../src/ux/progress.js'

/** A stream that keeps what is written, and a clock the test moves. */
function harness(mode: ProgressMode, options: {plainIntervalSeconds?: number; eventIntervalSeconds?: number} = {}) {
  let written = ''
  let clock = 0
  const stream = {write: (text: string) => { written += text; return true }, columns: 200, isTTY: mode === 'tty'} as unknown as NodeJS.WriteStream
  const progress = createProgress({mode, stream, now: () => clock, ...options})
  return {progress, tick: (seconds: number) => { clock += seconds }, output: () => written, take: () => { const out = written; written = ''; return out }}
}

const figures = [{value: 812.4, unit: 'samples/s'}, {value: 203.1, unit: 'MiB/s'}, {name: 'AU', value: 93.12, unit: '%'}]

describe('the live view (src/ux/progress.ts)', () => {
  it('on a terminal: the engine\'s figures so far, its fields and an ETA on one redrawn line', () => {
    const {progress, tick, take} = harness('tty')
    progress.stage('Training')
    take()
    tick(1)
    progress.update({done: 10, total: 100, unit: 'items', figures, fields: {epoch: '1/5'}, etaSeconds: 90})
    const line = take()
    assert.match(line, /Training {2}\[.*\] {2}10\.0% {2}10\/100 {2}812\.4 samples\/s {2}203\.1 MiB\/s {2}AU 93\.12 % {2}epoch 1\/5 {2}ETA 1:30$/)
    assert.ok(!line.includes('\n'), 'one line, redrawn in place')
  })

  it('on a terminal: one line per host under the status line once the run spans hosts, all redrawn together', () => {
    const {progress, tick, take} = harness('tty')
    progress.stage('Training')
    take()
    const hosts = [{host: 'node01', done: 5, figures: [{value: 400, unit: 'samples/s'}]}, {host: 'node02', done: 4, figures: [{value: 380, unit: 'samples/s'}]}]
    tick(1)
    progress.update({done: 9, total: 100, unit: 'items', figures, hosts})
    const first = take()
    assert.deepEqual(first.split('\n').slice(1), ['  node01  5  400 samples/s', '  node02  4  380 samples/s'])
    tick(1)
    progress.update({done: 12, total: 100, unit: 'items', figures, hosts})
    // the three lines drawn before are cleared (two moves up) before the new ones
    assert.ok(take().startsWith('\r\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K'))
    tick(1)
    progress.update({done: 13, total: 100, hosts: [hosts[0]]})
    assert.ok(!take().includes('node01'), 'a run on one host has no host lines')
  })

  it('without a terminal: the same fields on a status line every interval', () => {
    const {progress, tick, take} = harness('plain', {plainIntervalSeconds: 10})
    progress.stage('Training')
    assert.equal(take(), 'Training...\n')
    tick(5)
    progress.update({done: 10, total: 100, unit: 'items', figures})
    assert.equal(take(), '', 'not before the interval')
    tick(6)
    progress.update({done: 20, total: 100, unit: 'items', figures, fields: {epoch: '1/5'}})
    assert.match(take(), /^Training {2}20\.0% {2}20\/100 {2}812\.4 samples\/s {2}203\.1 MiB\/s {2}AU 93\.12 % {2}epoch 1\/5 {2}ETA \d+:\d\d {2}\(0:11 elapsed\)\n$/)
    tick(1)
    progress.update({done: 21, total: 100, unit: 'items', figures})
    assert.equal(take(), '')
  })

  it('NDJSON under --json: stage, progress (at most once per interval, and the last of a stage), log and done events', () => {
    const {progress, tick, output} = harness('ndjson', {eventIntervalSeconds: 1})
    progress.stage('Training')
    tick(0.5)
    progress.update({done: 1, total: 4, unit: 'items', figures, fields: {epoch: '1/2'}})
    tick(0.2)
    progress.update({done: 2, total: 4, unit: 'items', figures})
    tick(0.1)
    progress.update({done: 4, total: 4, unit: 'items', figures})
    progress.log('a note')
    progress.done('finished')
    const events = output().trim().split('\n').map(line => JSON.parse(line))
    assert.deepEqual(events.map(e => e.event), ['stage', 'progress', 'progress', 'log', 'done'])
    assert.deepEqual(events.map(e => e.done).filter(d => d !== undefined), [1, 4])
    assert.deepEqual(events[1].figures, figures)
    assert.deepEqual(events[1].fields, {epoch: '1/2'})
    assert.equal(events[1].elapsedSeconds, 0.5)
    assert.equal(events[2].etaSeconds, 0, 'nothing left at the end of a stage')
    assert.equal(events[3].message, 'a note')
    assert.equal(events[4].summary, 'finished')
    assert.ok(events.every(e => /^\d{4}-\d\d-\d\dT/.test(e.time)))
  })

  it('--json gives events only to commands that ask for them; progress: none silences all', () => {
    assert.equal(resolveProgressMode('auto', true, process.stderr, true), 'ndjson')
    assert.equal(resolveProgressMode('auto', true), 'none')
    assert.equal(resolveProgressMode('none', true, process.stderr, true), 'none')
    assert.equal(resolveProgressMode('plain', false), 'plain')
  })

  it('keeps the stage\'s last update: what a stopped run measured so far', () => {
    const {progress, tick} = harness('none')
    assert.equal(progress.snapshot?.(), undefined)
    progress.stage('Training')
    tick(3)
    progress.update({done: 7, total: 10, figures})
    assert.deepEqual(progress.snapshot?.(), {stage: 'Training', elapsedSeconds: 3, update: {done: 7, total: 10, figures}})
  })

  it('the ETA is smoothed: a sudden estimate moves it part of the way, and it counts down between estimates', () => {
    const eta = new EtaSmoother()
    assert.equal(eta.next(100, 0), 100)
    const after = eta.next(200, 1)!
    assert.ok(after > 99 && after < 120, `one second later, a doubled estimate gives ${after}`)
    assert.ok(Math.abs(eta.next(undefined, 3)! - (after - 2)) < 1e-9, 'without a new estimate it counts down')
    let steady = after
    for (let t = 2; t < 100; t++) steady = eta.next(200 - t, t)!
    assert.ok(Math.abs(steady - 101) < 2, `a steady estimate wins in the end: ${steady}`)
  })
})

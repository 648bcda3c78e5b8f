import assert from 'node:assert/strict'
import {remainingSeconds, type TimedStep} from '../../src/campaign/campaign-eta.js'
import {parameterDifferences} from '../../src/campaign/campaign-resume.js'
import {stepArgv} from '../../src/campaign/step-argv.js'
import {campaignProgress} from '../../src/ux/campaign-progress.js'
import type {Progress, ProgressUpdate} from '../../src/ux/progress.js'

const declared = {
  baseFlags: {'results-dir': {type: 'option'}, json: {type: 'boolean'}, open: {type: 'boolean'}},
  flags: {model: {type: 'option'}, param: {type: 'option'}, compact: {type: 'boolean', allowNo: true}, force: {type: 'boolean'}},
}

describe('campaign parts', () => {
  describe('stepArgv', () => {
    it('passes on the campaign flags the step declares, lets the step override them, and spells values as --name=value', () => {
      const argv = stepArgv(declared, {model: 'm1', 'results-dir': '/r', open: true, restart: true, param: ['a=1']}, {param: ['a=1', 'b=-2']}, false)
      assert.deepEqual(argv, ['--model=m1', '--results-dir=/r', '--open', '--param=a=1', '--param=b=-2'])
    })
    it('turns off a boolean that can be turned off, leaves out other false ones, and adds --json for a JSON campaign', () => {
      assert.deepEqual(stepArgv(declared, {compact: false, force: false}, {}, true), ['--no-compact', '--json'])
    })
    it('refuses a step flag its command does not declare', () => {
      assert.throws(() => stepArgv(declared, {}, {'max-accelerators': 2}, false), /--max-accelerators/)
    })
  })

  describe('parameterDifferences', () => {
    it('names every differing key with both values, nested keys dotted', () => {
      assert.deepEqual(parameterDifferences({flags: {param: ['a=1'], n: 2}, hosts: ['h']}, {flags: {param: ['a=2'], n: 2}, hosts: ['h'], extra: 1}), [
        'extra: was not given, now 1', 'flags.param: was ["a=1"], now ["a=2"]',
      ])
      assert.deepEqual(parameterDifferences({a: {b: 1}}, {a: {b: 1}}), [])
    })
  })

  describe('remainingSeconds', () => {
    const entry = (status: 'COMPLETED' | 'PENDING' | 'RUNNING' | 'SKIPPED', seconds?: number) => ({
      index: 1, role: 'r', label: 'l', status,
      ...(seconds === undefined ? {} : {startedAt: new Date(0).toISOString(), endedAt: new Date(seconds * 1000).toISOString()}),
    })
    it('is unknown until a step of each group still to run has finished once', () => {
      const steps: TimedStep[] = [{group: 'datagen', entry: entry('RUNNING')}, {group: 'run', entry: entry('PENDING')}]
      assert.equal(remainingSeconds(steps, 0, 5, undefined), undefined)
    })
    it('adds the mean of finished steps of a group for each step left, and the current step by its own pace', () => {
      const steps: TimedStep[] = [
        {group: 'datagen', entry: entry('SKIPPED')}, {group: 'run', entry: entry('COMPLETED', 10)}, {group: 'run', entry: entry('COMPLETED', 20)},
        {group: 'run', entry: entry('RUNNING')}, {group: 'run', entry: entry('PENDING')},
      ]
      // the mean is 15 s: the current run, 5 s in, has 10 left; one more run 15
      assert.equal(remainingSeconds(steps, 3, 5, undefined), 25)
      // halfway after 4 s: its own pace says 4 s more
      assert.equal(remainingSeconds(steps, 3, 4, 0.5), 19)
    })
  })

  describe('campaignProgress', () => {
    it("puts the step's name before every stage and the campaign's position and ETA after every update", () => {
      const seen: {stages: string[]; updates: ProgressUpdate[]} = {stages: [], updates: []}
      const inner: Progress = {mode: 'plain', stage: name => seen.stages.push(name), update: update => seen.updates.push(update), log() {}, done() {}}
      const fractions: Array<number | undefined> = []
      const view = campaignProgress(inner, {label: 'run 3 of 6', position: 'step 5/8', remainingSeconds: fraction => {
        fractions.push(fraction)
        return fraction === undefined ? undefined : 90
      }})
      view.stage('Training')
      view.update({done: 1, total: 4, fields: {epoch: '1/2'}})
      view.update({done: 7})
      assert.deepEqual(seen.stages, ['[run 3 of 6] Training'])
      assert.deepEqual(seen.updates.map(update => update.fields), [{epoch: '1/2', campaign: 'step 5/8, ETA 1:30'}, {campaign: 'step 5/8'}])
      assert.deepEqual(fractions, [0.25, undefined])
    })
  })
})

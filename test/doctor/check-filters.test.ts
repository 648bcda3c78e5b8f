import assert from 'node:assert/strict'
import type {PreflightCheck} from '../../src/doctor/check.js'
import {engineReadiness, rowsToFindings} from '../../src/doctor/check-findings.js'
import {summarizeRows} from '../../src/doctor/render-table.js'
import {resultOfFindings} from '../../src/doctor/findings-result.js'
import {type CheckPlan, runChecks} from '../../src/doctor/run-checks.js'
import {MlpsConfigSchema} from '../../src/config/schema.js'

function plan(overrides: Partial<CheckPlan>): CheckPlan {
  return {
    mode: 'run', engines: [], hosts: [{name: 'localhost'}], config: MlpsConfigSchema.parse({}),
    mlps: {version: '0.0.0', plugins: {}, node: process.execPath, bin: ''}, ...overrides,
  }
}

const check = (id: string, extra: Partial<PreflightCheck> = {}): PreflightCheck =>
  ({id, title: id, runsOn: 'invocation', run: async () => ({status: 'ok', detail: `${id} ran`}), ...extra})

describe('declared checks: their filters, and what doctor says of the ones that need a run', () => {
  const checks = [
    check('any'),
    check('training.only', {benchmark: 'training'}),
    check('training.datagen', {benchmark: 'training', commands: ['datagen']}),
    check('native.only', {engine: 'native'}),
    check('run.only', {benchmark: 'training', commands: ['run'], modes: ['run']}),
  ]

  it('a run sees the checks of its benchmark, command and engine', async () => {
    const rows = await runChecks(checks, plan({benchmark: 'training', command: 'run', engines: ['native']}))
    assert.deepEqual(rows.map(row => [row.check, row.status]), [['any', 'ok'], ['training.only', 'ok'], ['native.only', 'ok'], ['run.only', 'ok']])
  })

  it('another benchmark\'s or engine\'s checks stay out', async () => {
    const rows = await runChecks(checks, plan({benchmark: 'kvcache', command: 'run', engines: ['kvcache-py']}))
    assert.deepEqual(rows.map(row => row.check), ['any'])
  })

  it('doctor lists a check that reads the run as not evaluable, without running it; the lockfile leaves it out', async () => {
    let ran = false
    const reading = check('run.only', {benchmark: 'training', commands: ['run'], modes: ['run'], run: async () => { ran = true; return {status: 'fail', detail: 'x'} }})
    const rows = await runChecks([reading], plan({mode: 'doctor'}))
    assert.equal(ran, false)
    assert.deepEqual(rows.map(row => [row.check, row.status, row.detail, row.needsRun]), [['run.only', 'skip', 'needs a run: evaluated when a training run starts', true]])
    assert.deepEqual(engineReadiness([{...rows[0], engine: 'x'}]), {}, 'an engine whose checks all wait for a run is not called ready')
    assert.match(summarizeRows(rows), /0 not evaluable, 1 checked when a run starts$/)
    assert.deepEqual(await runChecks([reading], plan({mode: 'lockfile'})), [])
  })

  it('a check about the invocation names no host in its finding, and says whether it is the input or the environment', async () => {
    const rows = await runChecks([
      check('input.bad', {run: async () => ({status: 'fail', kind: 'input', detail: 'no dataset at /d/train', fix: 'generate it'})}),
      check('host.bad', {runsOn: 'hosts', run: async () => ({status: 'fail', detail: 'not writable'})}),
      check('open.only', {run: async () => ({status: 'warn', openOnly: true, detail: 'scaled down'})}),
    ], plan({}))
    const findings = rowsToFindings(rows)
    assert.deepEqual(findings.map(f => [f.ruleId, f.severity, f.kind, f.message]), [
      ['input.bad', 'error', 'input', 'no dataset at /d/train'], ['host.bad', 'error', 'environment', 'localhost: not writable'], ['open.only', 'warn', 'environment', 'scaled down'],
    ])
    assert.equal(findings[2].openOnly, true)
  })

  it('checks that share one evaluation gather it once', async () => {
    let gathered = 0
    const shared = (id: string) => check(id, {run: async ctx => ({status: 'ok', detail: String(await ctx.shared('count', async () => ++gathered))})})
    const rows = await runChecks([shared('a'), shared('b')], plan({}))
    assert.deepEqual(rows.map(row => row.detail), ['1', '1'])
  })

  it('findings of a shared evaluation become one result per check: worst status, every message', () => {
    assert.deepEqual(resultOfFindings([
      {ruleId: 'x', severity: 'warn', message: 'one'}, {ruleId: 'x', severity: 'error', kind: 'rule', message: 'two', fix: 'fix two'},
    ], 'fine'), {status: 'fail', detail: 'one; two', fix: 'fix two', kind: 'rule'})
    assert.deepEqual(resultOfFindings([], 'fine'), {status: 'ok', detail: 'fine'})
    assert.equal(resultOfFindings([{ruleId: 'x', severity: 'info', notEvaluable: true, message: 'dry run'}], 'fine').status, 'skip')
  })
})

import assert from 'node:assert/strict'
import {z} from 'zod'
import {checkRunOptions} from '../../src/command/run-options-check.js'
import {MlpsError} from '../../src/errors.js'
import {ExitCode} from '../../src/exit-codes.js'
import type {BenchmarkDefinition} from '../../src/registry/definitions.js'

const benchmark: BenchmarkDefinition = {
  name: 'demo', description: 'a benchmark with typed run options', results: {folder: 'demo'},
  runOptionsSchema: z.object({
    dataFolder: z.string().min(1),
    workload: z.looseObject({reader: z.object({batch_size: z.number().int().positive()})}),
    passes: z.array(z.object({users: z.number().int().positive()})),
    layout: z.object({ranks: z.number().int()}),
  }),
  runOptionFlags: {dataFolder: '--data-dir', workload: '--param', 'passes.users': '--num-users'},
}
const good = {dataFolder: '/data', workload: {reader: {batch_size: 4}, extra: 1}, passes: [{users: 2}], layout: {ranks: 1}}

function rejected(options: Record<string, unknown>): MlpsError {
  try {
    checkRunOptions(benchmark, '@acme/plugin-demo', 'run', options)
  } catch (error) {
    assert.ok(error instanceof MlpsError, String(error))
    assert.equal(error.exitCode, ExitCode.BadInput)
    return error
  }
  assert.fail('the options were accepted')
}

describe('a benchmark\'s run options against its declared schema', () => {
  it('pass through parsed when they match (keys the schema does not declare are dropped, loose sections keep theirs)', () => {
    assert.deepEqual(checkRunOptions(benchmark, '@acme/plugin-demo', 'run', {...good, stray: true}), good)
  })

  it('a benchmark without a schema hands its options on as they are', () => {
    const options = {anything: 1}
    assert.equal(checkRunOptions({name: 'free', description: '', results: {folder: 'free'}}, 'p', 'run', options), options)
  })

  it('a failing option is named by its flag and its option path, every problem at once', () => {
    const error = rejected({...good, dataFolder: '', passes: [{users: 2}, {users: 0}]})
    assert.match(error.message, /the run options of demo run are not valid/)
    assert.match(error.message, /--data-dir \(option dataFolder\): /)
    assert.match(error.message, /--num-users \(option passes\.1\.users\): Too small/)
    assert.equal(error.where, '--data-dir')
    assert.match(error.fix ?? '', /correct --data-dir, --num-users \(`mlps demo run --help` lists the flags\)/)
  })

  it('a --param override is named with its key', () => {
    const error = rejected({...good, workload: {reader: {batch_size: 'big'}}})
    assert.match(error.message, /--param reader\.batch_size \(option workload\.reader\.batch_size\): .*expected number/)
  })

  it('an option no flag sets is laid at the plugin\'s door', () => {
    const error = rejected({...good, layout: {ranks: 1.5}})
    assert.match(error.message, /\n {2}option layout\.ranks: /)
    assert.equal(error.where, 'demo run')
    assert.match(error.fix ?? '', /report it to the plugin that provides it \(@acme\/plugin-demo\)/)
  })
})

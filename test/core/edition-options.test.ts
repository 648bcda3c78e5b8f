import assert from 'node:assert/strict'
import {z} from 'zod'
import {MlpsError} from '../../src/errors.js'
import {ExitCode} from '../../src/exit-codes.js'
import type {RulesEdition} from '../../src/registry/definitions.js'
import {editionOptions, nearestName} from '../../src/registry/edition-options.js'

const edition: RulesEdition = {
  name: 'test-3.0', description: 'an edition with one reading',
  options: {ranksPerHost: 'more-than-4'}, optionsSchema: z.object({ranksPerHost: z.enum(['more-than-4', 'at-least-4'])}),
}

function badInput(run: () => unknown): MlpsError {
  try {
    run()
  } catch (error) {
    assert.ok(error instanceof MlpsError, String(error))
    assert.equal(error.exitCode, ExitCode.BadInput)
    return error
  }
  assert.fail('expected bad input')
}

describe('rules edition --option readings', () => {
  it('apply a known reading over the edition\'s default, and keep the default otherwise', () => {
    assert.deepEqual(editionOptions(edition, {ranksPerHost: 'at-least-4'}), {ranksPerHost: 'at-least-4'})
    assert.deepEqual(editionOptions(edition, {}), {ranksPerHost: 'more-than-4'})
  })

  it('refuse a misspelled option, naming the one meant and the known ones', () => {
    const error = badInput(() => editionOptions(edition, {ranksPerHsot: 'at-least-4'}))
    assert.match(error.message, /has no option "ranksPerHsot"; did you mean ranksPerHost\?/)
    assert.equal(error.where, '--option ranksPerHsot=at-least-4')
    assert.match(error.fix ?? '', /--option ranksPerHost=at-least-4 \(edition test-3\.0 reads: ranksPerHost\)/)
  })

  it('refuse an option nothing resembles, listing the known ones without a guess', () => {
    const error = badInput(() => editionOptions(edition, {strict: 'yes'}))
    assert.doesNotMatch(error.message, /did you mean/)
    assert.equal(error.fix, 'edition test-3.0 reads: ranksPerHost')
  })

  it('refuse a value the edition\'s schema does not accept, naming the option', () => {
    const error = badInput(() => editionOptions(edition, {ranksPerHost: 'at-least-5'}))
    assert.equal(error.where, '--option ranksPerHost=at-least-5')
    assert.match(error.message, /more-than-4.*at-least-4/)
  })

  it('an edition without a schema accepts the readings it gives defaults for, and one without options takes none', () => {
    assert.deepEqual(editionOptions({name: 'x', description: '', options: {limit: '4'}}, {limit: '8'}), {limit: '8'})
    const error = badInput(() => editionOptions({name: '1.0', description: ''}, {ranksPerHost: 'at-least-4'}))
    assert.equal(error.fix, 'edition 1.0 takes no --option')
  })

  it('guesses only near names: a swap or a slip, not another word', () => {
    assert.equal(nearestName('ranksperhost', ['ranksPerHost']), 'ranksPerHost')
    assert.equal(nearestName('rankPerHost', ['ranksPerHost', 'other']), 'ranksPerHost')
    assert.equal(nearestName('division', ['ranksPerHost']), undefined)
  })
})

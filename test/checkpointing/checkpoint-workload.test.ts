import assert from 'node:assert/strict'
import {MlpsError} from '../../src/errors.js'
import {LLM_MODELS, modelWorkload} from '../../plugins/checkpointing/src/models.js'
import {trainingWorkload} from '../../plugins/engine-native/src/workload.js'
import {testContext} from '../helpers/run-context.js'

describe('checkpoint workloads carry no dataset section (as the official llama3_*.yaml)', () => {
  it('none of the four has one', () => {
    for (const model of LLM_MODELS) assert.equal('dataset' in modelWorkload(model), false, model)
  })

  it('a training path handed one says what is missing instead of failing on an undefined field', () => {
    const ctx = {...testContext(), benchmark: 'training', command: 'run', options: {workload: modelWorkload('llama3-8b')}}
    assert.throws(() => trainingWorkload(ctx), (error: unknown) => error instanceof MlpsError &&
      /training run gave the native engine a workload without a dataset section/.test(error.message) && /bug in the training plugin/.test(error.fix ?? ''))
  })
})

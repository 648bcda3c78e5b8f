import assert from 'node:assert/strict'
import {
  CheckpointingRunOptionsSchema, KvcacheRunOptionsSchema, requireRunOptions, runWithOptions, TrainingRunOptionsSchema, VectordbRunOptionsSchema,
} from '@mlps/run-options'
import {MlpsError} from '../../src/errors.js'
import type {BenchmarkDefinition} from '../../src/registry/definitions.js'
import {getWorkload} from '../../plugins/training/src/workloads/index.js'
import registerCheckpointing from '../../plugins/checkpointing/src/hooks/register.js'
import registerKvcache from '../../plugins/kvcache/src/hooks/register.js'
import registerTraining from '../../plugins/training/src/hooks/register.js'
import registerVectordb from '../../plugins/vectordb/src/hooks/register.js'
import {testContext} from '../helpers/run-context.js'

const workload = getWorkload('unet3d', 'b200')
const trainingOptions = {workload, baseWorkload: workload, workloadName: 'unet3d_b200', dataFolder: '/data/unet3d', dropCaches: true}

describe('@mlps/run-options: an engine narrows a run to the options it reads', () => {
  it('types the context without copying it: what a tap sets stays visible', () => {
    const ctx = {...testContext(), benchmark: 'training', options: trainingOptions}
    const run = requireRunOptions(ctx, TrainingRunOptionsSchema, 'the test engine')
    assert.equal(run, ctx)
    assert.equal(run.options.dropCaches, true)
    assert.equal(run.options.workload.dataset.num_files_train, workload.dataset.num_files_train)
  })

  it('an engine handed another benchmark\'s options says who got what, and how to fix it', () => {
    const ctx = {...testContext(), benchmark: 'vectordb', command: 'run', options: {indexType: 'HNSW'}}
    assert.throws(() => requireRunOptions(ctx, TrainingRunOptionsSchema, 'the test engine'), (error: unknown) => error instanceof MlpsError &&
      /^vectordb run handed the test engine run options it cannot use: workload: /.test(error.message) && /same @mlps\/run-options/.test(error.fix ?? ''))
  })

  it('a tap that only reads them gets nothing for a run without them (a datasize, another benchmark)', () => {
    assert.equal(runWithOptions({...testContext(), options: {}}, KvcacheRunOptionsSchema), undefined)
    assert.equal(runWithOptions({...testContext(), options: trainingOptions}, TrainingRunOptionsSchema)?.options.dataFolder, '/data/unet3d')
  })

  it('every first-party benchmark declares the schema its engines read, with flags for its options', async () => {
    const declared = async (register: () => Promise<{benchmarks?: BenchmarkDefinition[]}>) => (await register()).benchmarks?.[0]
    const pairs = [[registerTraining, TrainingRunOptionsSchema], [registerKvcache, KvcacheRunOptionsSchema], [registerVectordb, VectordbRunOptionsSchema]] as const
    for (const [register, schema] of pairs) {
      const benchmark = await declared(register)
      assert.equal(benchmark?.runOptionsSchema, schema, benchmark?.name)
      assert.ok(Object.keys(benchmark?.runOptionFlags ?? {}).length > 0, benchmark?.name)
    }
    // checkpointing adds its own pair procedure, which only its taps read, to what engines get
    const checkpointing = await declared(registerCheckpointing)
    assert.deepEqual(Object.keys(CheckpointingRunOptionsSchema.shape).filter(key => !(key in (checkpointing?.runOptionsSchema as typeof CheckpointingRunOptionsSchema).shape)), [])
  })
})

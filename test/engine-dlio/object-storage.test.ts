import assert from 'node:assert/strict'
import {planDlio} from '../../plugins/engine-dlio/src/dlio-plan.js'
import {DlioOptionsSchema} from '../../plugins/engine-dlio/src/dlio-options.js'
import {planCheckpoints} from '../../plugins/checkpointing/src/checkpoint-plan.js'
import {placeDataset, resolveWorkload} from '../../plugins/training/src/training-inputs.js'
import {dlioContext} from './context.js'

const ENDPOINT = 'http://10.0.0.5:9000'

function trainingOnBucket(dataDir: string, options: {params?: string[]; engines?: Record<string, unknown>; objectStorage?: Record<string, unknown>} = {}) {
  const {workload, baseWorkload, workloadName, userOverrides} = resolveWorkload('unet3d', 'b200', options.params ?? [])
  const {toolInjected, dataFolder} = placeDataset(workload, 'unet3d', dataDir, {engine: 'dlio'})
  return dlioContext({
    benchmark: 'training', command: 'run', model: 'unet3d', workloadName, workload, baseWorkload, userOverrides, numProcesses: 2,
    toolInjected, engines: options.engines, objectStorage: options.objectStorage ?? {endpoint: ENDPOINT}, options: {dataFolder},
  })
}

const workloadArgs = (argv: readonly string[]) => argv.filter(arg => arg.startsWith('++workload.'))

describe('DLIO on object storage (mlpstorage-spec.md §3.4 --object; the v3.0 DLIO\'s obj_store_lib.py)', function () {
  this.timeout(30_000)

  it('training: the bucket from the URI is storage_root, the key prefix is data_folder, the endpoint and region reach every rank as AWS_ENDPOINT_URL/AWS_REGION', async () => {
    const ctx = trainingOnBucket('s3://mlperf-data/runs/')
    const plan = await planDlio(ctx)
    assert.deepEqual(ctx.parameters.toolInjected, {
      'dataset.data_folder': 'runs/unet3d', 'storage.storage_type': 's3', 'storage.storage_root': 'mlperf-data',
      'storage.storage_options.storage_library': 's3dlio', 'storage.storage_options.uri_scheme': 's3', 'storage.s3_force_path_style': true,
    })
    assert.deepEqual(workloadArgs(plan.argv!), [
      '++workload.dataset.data_folder=runs/unet3d', '++workload.storage.storage_type=s3', '++workload.storage.storage_root=mlperf-data',
      '++workload.storage.storage_options.storage_library=s3dlio', '++workload.storage.storage_options.uri_scheme=s3', '++workload.storage.s3_force_path_style=True',
    ])
    assert.equal(plan.env!.AWS_ENDPOINT_URL, ENDPOINT)
    assert.equal(plan.env!.AWS_REGION, 'us-east-1')
    // set by mlps, to every rank: Open MPI gets them with -x
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_REGION']) assert.equal(plan.argv![plan.argv!.indexOf(name) - 1], '-x')
    assert.ok(!plan.argv!.some(arg => arg.includes('endpoint_url')), 'no endpoint in a workload key (the hard-coded endpoint of storage#325)')
  })

  it('credentials are forwarded by name, never by value; the endpoint of the config wins over engines.dlio.env', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'planted-access-key'
    process.env.AWS_SECRET_ACCESS_KEY = 'planted-secret-value'
    try {
      const ctx = trainingOnBucket('s3://mlperf-data', {engines: {env: {AWS_ENDPOINT_URL: 'http://elsewhere:9000'}}})
      const plan = await planDlio(ctx)
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) assert.equal(plan.argv![plan.argv!.indexOf(name) - 1], '-x')
      assert.equal(plan.env!.AWS_SECRET_ACCESS_KEY, '***')
      assert.equal(plan.env!.AWS_ENDPOINT_URL, ENDPOINT)
      const text = JSON.stringify([plan, ctx.parameters, ctx.record])
      assert.ok(!text.includes('planted-secret-value') && !text.includes('planted-access-key'))
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID
      delete process.env.AWS_SECRET_ACCESS_KEY
    }
  })

  it('s3torchconnector: path style also as the storage_options text that library reads; a path-style-off config sets neither', async () => {
    const connector = trainingOnBucket('s3://mlperf-data', {engines: {objectStorage: {library: 's3torchconnector'}}})
    await planDlio(connector)
    assert.equal(connector.parameters.toolInjected['storage.storage_options.s3_force_path_style'], 'true')
    assert.equal(connector.parameters.toolInjected['storage.s3_force_path_style'], true)
    const virtualHosted = trainingOnBucket('s3://mlperf-data', {objectStorage: {endpoint: ENDPOINT, forcePathStyle: false}})
    await planDlio(virtualHosted)
    assert.ok(!Object.keys(virtualHosted.parameters.toolInjected).some(key => key.includes('force_path_style')))
  })

  it('a storage key the user set with --param stays the user\'s (and counts as theirs)', async () => {
    const ctx = trainingOnBucket('s3://mlperf-data', {params: ['storage.storage_options.uri_scheme=s3']})
    const plan = await planDlio(ctx)
    assert.ok(!Object.hasOwn(ctx.parameters.toolInjected, 'storage.storage_options.uri_scheme'))
    assert.deepEqual(workloadArgs(plan.argv!).filter(arg => arg.includes('uri_scheme')), ['++workload.storage.storage_options.uri_scheme=s3'])
  })

  it('checkpointing: the checkpoint folder stays a whole URI (DLIO\'s checkpoint storage takes it as its namespace), in the configured scheme', async () => {
    const plan = planCheckpoints({
      model: 'llama3-8b', processes: 8, hosts: [{name: 'localhost'}], hostMemoryBytes: [2 ** 40], numCheckpointsWrite: 10, numCheckpointsRead: 10,
      checkpointFolder: 's3://ckpt-bucket/runs',
    })
    assert.equal(plan.workload.checkpoint?.checkpoint_folder, 's3://ckpt-bucket/runs/llama3-8b')
    const ctx = dlioContext({
      benchmark: 'checkpointing', command: 'run', model: 'llama3-8b', workloadName: 'llama3_8b', workload: plan.workload, baseWorkload: plan.baseWorkload,
      toolInjected: plan.toolInjected, numProcesses: 8, objectStorage: {endpoint: ENDPOINT}, engines: {objectStorage: {library: 'minio'}},
    })
    const dlio = await planDlio(ctx)
    assert.ok(workloadArgs(dlio.argv!).includes('++workload.checkpoint.checkpoint_folder=s3://ckpt-bucket/runs/llama3-8b'))
    assert.ok(workloadArgs(dlio.argv!).includes('++workload.storage.storage_root=ckpt-bucket'))
    assert.ok(workloadArgs(dlio.argv!).includes('++workload.storage.storage_options.storage_library=minio'))
  })

  it('a run on a filesystem gets no storage key and no AWS variable', async () => {
    const ctx = trainingOnBucket('/mnt/sut')
    const plan = await planDlio(ctx)
    assert.deepEqual(Object.keys(ctx.parameters.toolInjected), ['dataset.data_folder'])
    assert.ok(!Object.keys(plan.env ?? {}).some(name => name.startsWith('AWS_')))
    assert.ok(!plan.argv!.includes('AWS_SECRET_ACCESS_KEY'))
  })

  it('engines.dlio.objectStorage no longer takes a bucket or an endpoint: they come from the URI and objectStorage', () => {
    assert.equal(DlioOptionsSchema.safeParse({objectStorage: {bucket: 'b'}}).success, false)
    assert.equal(DlioOptionsSchema.safeParse({objectStorage: {uriScheme: 's3://'}}).success, false)
    assert.deepEqual(DlioOptionsSchema.parse({}).objectStorage, {library: 's3dlio', uriScheme: 's3', credentialsEnv: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']})
  })
})

import assert from 'node:assert/strict'
import {readFileSync, readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import type {DlioTrainingWorkload} from '@mlps/run-options'
import type {ObjectStorageConfig} from 'mlps/unstable'

import {generateTrainingData, runCheckpoints, runTraining} from '@mlps/plugin-engine-native'
import {scratchSpace, smallDlrm, smallUnet3d} from '../../../test/engine-native/workloads.js'
import {startS3Server, type TestS3Server} from '../../../test/helpers/s3-server.js'
import {objectTargetOf, openTarget} from '../src/s3/object-target.js'
import {PART_BYTES, uploadObject} from '../src/s3/object-upload.js'

/** Every file under a folder, by its path relative to the folder → size. */
function filesUnder(root: string): Map<string, number> {
  const found = new Map<string, number>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else found.set(relative(root, path), statSync(path).size)
    }
  }
  walk(root)
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)))
}

/** Fails when any file under the folder holds either credential value. */
function assertNoCredentials(root: string, server: TestS3Server): void {
  for (const file of filesUnder(root).keys()) {
    const text = readFileSync(join(root, file), 'latin1')
    assert.ok(!text.includes(server.secretKey) && !text.includes(server.accessKey), `${file} holds a credential`)
  }
}

function withoutPrefix(objects: Map<string, number>, prefix: string): Map<string, number> {
  return new Map([...objects].map(([key, size]) => [key.slice(prefix.length + 1), size]))
}

describe('native engine on object storage (a real S3-compatible server, s3rver, on loopback)', function () {
  this.timeout(300_000)
  const scratch = scratchSpace()
  let server: TestS3Server
  let objectStorage: ObjectStorageConfig
  const savedEnv = {...process.env}

  before(async () => {
    server = await startS3Server()
    objectStorage = {endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: 'environment', allowAws: false}
    // worker threads take the environment as it is when they start
    Object.assign(process.env, server.credentialsEnv)
  })
  after(async () => {
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      if (savedEnv[key] === undefined) delete process.env[key]
      else process.env[key] = savedEnv[key]
    }
    await server?.stop()
    scratch.remove()
  })

  const formats: [string, (folder: string) => DlioTrainingWorkload][] = [
    ['npz', folder => smallUnet3d(folder, {num_files_train: 16})],
    ['tfrecord', folder => ({
      ...smallUnet3d(folder, {format: 'tfrecord', num_samples_per_file: 4, num_files_train: 8, num_subfolders_train: 3}),
      reader: {data_loader: 'tensorflow', batch_size: 4, read_threads: 2}, train: {epochs: 1, computation_time: 0.01},
    })],
    ['jpeg', folder => ({...smallUnet3d(folder, {format: 'jpeg', num_files_train: 16, record_length_bytes: 65536, record_length_bytes_stdev: 0}), train: {epochs: 1, computation_time: 0.01}})],
    ['parquet', folder => smallDlrm(folder)],
  ]
  for (const [format, workloadFor] of formats) {
    it(`${format}: datagen writes the objects a filesystem datagen writes (names and sizes), and a run reads them as it reads files`, async () => {
      const folder = scratch.dir(`s3-${format}`)
      const onDisk = workloadFor(folder)
      await generateTrainingData({workload: onDisk, concurrency: 2})
      const uri = `s3://${server.bucket}/${format}-set`
      const inBucket = workloadFor(uri)
      const written = await generateTrainingData({workload: inBucket, objectStorage, concurrency: 2})
      assert.equal(written.trainFolder, `${uri}/train`)
      assert.equal(written.filesWritten, onDisk.dataset.num_files_train)
      // the server's own folder, not the client, says what is stored
      const stored = withoutPrefix(server.storedObjects(`${format}-set/`), `${format}-set`)
      assert.deepEqual(stored, filesUnder(folder))
      assert.equal([...stored.values()].reduce((sum, size) => sum + size, 0), written.bytesTotal)

      const again = await generateTrainingData({workload: inBucket, objectStorage, concurrency: 2})
      assert.deepEqual([again.filesKept, again.filesWritten], [onDisk.dataset.num_files_train, 0], 'complete objects are kept')

      const fromFiles = await runTraining({workload: onDisk, outputDir: scratch.dir(`out-fs-${format}`), accelerators: 2})
      const outputDir = scratch.dir(`out-s3-${format}`)
      const fromObjects = await runTraining({workload: inBucket, objectStorage, outputDir, accelerators: 2})
      assertNoCredentials(outputDir, server)
      assert.equal(fromObjects.summary.num_accelerators, 2)
      assert.equal(fromObjects.summary.metric.train_au_percentage.length, onDisk.train?.epochs)
      // the same samples in the same order through the same format logic read the same bytes
      assert.ok(fromObjects.bytesRead > 0)
      assert.equal(fromObjects.bytesRead, fromFiles.bytesRead)
    })
  }

  it('stops a run before it starts when the objects are not there, naming them', async () => {
    const workload = smallUnet3d(`s3://${server.bucket}/never-generated`)
    await assert.rejects(runTraining({workload, objectStorage, outputDir: scratch.dir('out-missing'), accelerators: 1}),
      /the training objects under s3:\/\/mlps-test\/never-generated\/train are not the planned dataset \(\d+ of \d+ checked\): s3:\/\/mlps-test\/never-generated\/train\/img_00_of_32\.npz is missing/)
  })

  it('stops datagen when the bucket does not exist, naming it and the fix', async () => {
    await assert.rejects(generateTrainingData({workload: smallUnet3d('s3://no-such-bucket/data'), objectStorage}),
      (error: Error & {fix?: string}) => /the bucket "no-such-bucket" does not exist/.test(error.message) && /create it/.test(error.fix ?? ''))
  })

  it('writes checkpoints as objects (multipart for a shard larger than a part) and reads them back; a read of absent ones stops first', async () => {
    const ranks = [0, 1].map(rank => [
      {name: `zero_pp_rank_${rank}_mp_rank_0_model_states.pt`, bytes: 300_000 + rank},
      {name: `zero_pp_rank_${rank}_mp_rank_0_optim_states.pt`, bytes: (rank === 0 ? 40 << 20 : 1_500_000) + 7 * rank},
    ])
    const common = {folder: `s3://${server.bucket}/ckpt`, objectStorage, ranks, timeBetweenCheckpoints: 0, fsync: true, clearCacheBetweenPhases: false}
    const written = await runCheckpoints({...common, numCheckpointsWrite: 2, numCheckpointsRead: 0, outputDir: scratch.dir('ckpt-w')})
    const expected = new Map<string, number>()
    for (const step of [1, 2]) for (const file of ranks.flat()) expected.set(`ckpt/global_epoch1_step${step}/${file.name}`, file.bytes)
    assert.deepEqual(server.storedObjects('ckpt/'), new Map([...expected].sort(([a], [b]) => a.localeCompare(b))))
    assert.equal(written.bytesWritten, 2 * ranks.flat().reduce((sum, file) => sum + file.bytes, 0))
    const readDir = scratch.dir('ckpt-r')
    const read = await runCheckpoints({...common, numCheckpointsWrite: 0, numCheckpointsRead: 2, outputDir: readDir})
    assertNoCredentials(readDir, server)
    assert.equal(read.bytesRead, written.bytesWritten)
    assert.ok(read.summary.metric.load_checkpoint_io_mean_GB_per_second! > 0)
    await assert.rejects(runCheckpoints({...common, numCheckpointsWrite: 0, numCheckpointsRead: 3, outputDir: scratch.dir('ckpt-r3')}),
      /s3:\/\/mlps-test\/ckpt\/global_epoch1_step3\/zero_pp_rank_0_mp_rank_0_model_states\.pt is missing/)
  })

  describe('an upload cut short is aborted on the server (no multipart upload left open, as the server\'s own folder shows)', () => {
    /** Resolves once the server holds an open multipart upload: the moment to cut. */
    async function uploadOpen(): Promise<void> {
      while (server.openUploads().length === 0) await new Promise(resolve => setTimeout(resolve, 10))
    }

    it('a checkpoint write aborted by its signal mid-upload', async () => {
      const ranks = [0, 1].map(rank => [{name: `zero_pp_rank_${rank}_mp_rank_0_optim_states.pt`, bytes: 120 << 20}])
      const controller = new AbortController()
      const run = runCheckpoints({folder: `s3://${server.bucket}/cut-ckpt`, objectStorage, ranks, timeBetweenCheckpoints: 0, fsync: true, clearCacheBetweenPhases: false,
        numCheckpointsWrite: 1, numCheckpointsRead: 0, outputDir: scratch.dir('cut-ckpt'), signal: controller.signal})
      await Promise.race([uploadOpen(), run])
      controller.abort(new Error('SIGINT'))
      await assert.rejects(run, {name: 'AbortError'})
      assert.deepEqual(server.openUploads(), [])
      assert.deepEqual([...server.storedObjects('cut-ckpt/')], [], 'no shard object either')
    })

    it('a datagen aborted by its signal mid-upload', async () => {
      const controller = new AbortController()
      const workload = smallUnet3d(`s3://${server.bucket}/cut-data`, {num_files_train: 6, record_length_bytes: 40 << 20, record_length_bytes_stdev: 0})
      const run = generateTrainingData({workload, objectStorage, concurrency: 2, signal: controller.signal})
      await Promise.race([uploadOpen(), run])
      controller.abort(new Error('SIGINT'))
      await assert.rejects(run, {name: 'AbortError'})
      assert.deepEqual(server.openUploads(), [])
    })

    it('a part that fails: the upload is aborted and the failure is what the caller sees', async () => {
      const store = await openTarget(objectTargetOf(`s3://${server.bucket}/cut-part`, objectStorage, '--checkpoint-folder')!)
      try {
        await assert.rejects(uploadObject(store, 'cut-part/shard.pt', 5 * PART_BYTES, 2, (buffer, offset) => {
          if (offset >= 3 * PART_BYTES) throw new Error('the part source failed')
          buffer.fill(1)
        }), /the part source failed/)
      } finally {
        store.close()
      }
      assert.deepEqual(server.openUploads(), [])
      assert.deepEqual([...server.storedObjects('cut-part/')], [])
    })
  })
})

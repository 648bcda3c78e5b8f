import assert from 'node:assert/strict'
import {resolve} from 'node:path'
import {MlpsError} from '../../src/errors.js'
import {joinStoragePath, resolveFolderPath, resolveStoragePath, storageBaseName} from '../../src/storage/storage-path.js'
import {placeDataset, resolveWorkload} from '../../plugins/training/src/training-inputs.js'

function thrown(body: () => unknown): MlpsError {
  try {
    body()
  } catch (error) {
    if (error instanceof MlpsError) return error
    throw error
  }
  throw new Error('no error')
}

describe('storage paths: a folder or a bucket prefix, never a folder named "s3:"', () => {
  it('resolves a folder and normalizes a URI without making it a path', () => {
    assert.equal(resolveStoragePath('data', '--data-dir'), resolve('data'))
    assert.equal(resolveStoragePath('S3://bucket-1//runs/', '--data-dir'), 's3://bucket-1/runs')
    assert.equal(thrown(() => resolveStoragePath('s3://s3://bucket-1/runs', '--checkpoint-folder')).where, '--checkpoint-folder')
  })

  it('joins under a URI as under a folder (path.join would fold "s3://" into "s3:/")', () => {
    assert.equal(joinStoragePath('s3://bucket-1/runs/', 'unet3d', 'train/'), 's3://bucket-1/runs/unet3d/train')
    assert.equal(joinStoragePath('s3://bucket-1', 'llama3-8b'), 's3://bucket-1/llama3-8b')
    assert.equal(joinStoragePath('/mnt/sut', 'unet3d'), '/mnt/sut/unet3d')
    assert.equal(storageBaseName('s3://bucket-1/runs/unet3d/'), 'unet3d')
  })

  it('a folder-only benchmark refuses a bucket with the fix it was given', () => {
    const error = thrown(() => resolveFolderPath('s3://bucket-1/kv', '--cache-dir', 'mount the bucket'))
    assert.equal(error.where, '--cache-dir')
    assert.equal(error.fix, 'mount the bucket')
    assert.equal(resolveFolderPath('/mnt/nvme/kv', '--cache-dir', 'x'), '/mnt/nvme/kv')
  })

  it('training places the dataset under the bucket prefix, appending the model as on a filesystem', () => {
    const {workload} = resolveWorkload('unet3d', 'h100', [])
    assert.equal(placeDataset(workload, 'unet3d', 's3://mlperf-data/runs', {engine: 'native'}).dataFolder, 's3://mlperf-data/runs/unet3d')
    assert.equal(placeDataset(workload, 'unet3d', 's3://mlperf-data/unet3d', {engine: 'native'}).dataFolder, 's3://mlperf-data/unet3d')
    assert.equal(workload.dataset.data_folder, 's3://mlperf-data/unet3d')
    assert.equal(thrown(() => placeDataset(workload, 'unet3d', undefined, {engine: 'native', dataDir: 'gs://x/y'})).where, 'benchmarks.training.dataDir')
  })
})

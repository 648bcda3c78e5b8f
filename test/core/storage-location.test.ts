import assert from 'node:assert/strict'

import {MlpsError} from '../../src/errors.js'
import {objectKey, parseStorageLocation} from '../../src/storage/storage-location.js'

describe('storage location', () => {
  it('takes a path without a scheme as a folder', () => {
    assert.deepEqual(parseStorageLocation('/mnt/sut/data', '--data-dir'), {kind: 'filesystem', path: '/mnt/sut/data'})
  })

  it('reads s3://bucket/prefix, dropping empty path parts', () => {
    assert.deepEqual(parseStorageLocation('s3://mlperf-data//unet3d/', '--data-dir'), {kind: 'object', uri: 's3://mlperf-data/unet3d', bucket: 'mlperf-data', prefix: 'unet3d'})
    assert.deepEqual(parseStorageLocation('S3://bucket1', '--data-dir'), {kind: 'object', bucket: 'bucket1', prefix: '', uri: 's3://bucket1'})
  })

  it('refuses a doubled scheme, naming the flag and the fix', () => {
    const error = captured(() => parseStorageLocation('s3://s3://bucket/x', '--data-dir'))
    assert.equal(error.where, '--data-dir')
    assert.match(error.message, /scheme twice/)
    assert.match(error.fix ?? '', /write it once: s3:\/\/bucket\/x$/)
  })

  it('refuses other schemes and bad bucket names', () => {
    assert.match(captured(() => parseStorageLocation('gs://bucket/x', '--checkpoint-folder')).message, /gs:\/\//)
    assert.match(captured(() => parseStorageLocation('s3://My_Bucket/x', '--data-dir')).message, /not a bucket name/)
    assert.match(captured(() => parseStorageLocation('s3:///x', '--data-dir')).message, /not a bucket name/)
  })

  it('joins keys under the prefix', () => {
    assert.equal(objectKey({prefix: 'runs/unet3d'}, 'train/img_1_of_8.npz'), 'runs/unet3d/train/img_1_of_8.npz')
    assert.equal(objectKey({prefix: ''}, './train/a.npz'), 'train/a.npz')
  })
})

function captured(action: () => unknown): MlpsError {
  try {
    action()
  } catch (error) {
    if (error instanceof MlpsError) return error
    throw error
  }
  throw new Error('expected an MlpsError')
}

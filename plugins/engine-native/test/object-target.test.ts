import assert from 'node:assert/strict'

import {objectTargetOf, refuseObjectStorageOnHosts, trainObjectKey} from '../src/s3/object-target.js'
import {PART_BYTES, partBytesFor} from '../src/s3/object-upload.js'
import {smallUnet3d} from '../../../test/engine-native/workloads.js'

describe('native engine object targets', () => {
  it('takes s3://bucket/prefix as a bucket target and a path as none', () => {
    assert.deepEqual(objectTargetOf('s3://data//unet3d/', undefined, '--data-dir'), {config: undefined, bucket: 'data', prefix: 'unet3d', uri: 's3://data/unet3d', where: '--data-dir'})
    assert.equal(objectTargetOf('/mnt/sut/unet3d', undefined, '--data-dir'), undefined)
    assert.throws(() => objectTargetOf('s3://s3://data/unet3d', undefined, '--data-dir'), /has the scheme twice/)
  })

  it('names training objects as DLIO names the files, subfolders included', () => {
    const target = objectTargetOf('s3://data/unet3d', undefined, '--data-dir')!
    const dataset = smallUnet3d('s3://data/unet3d', {num_files_train: 12, num_subfolders_train: 3}).dataset
    assert.equal(trainObjectKey(dataset, target, 7), 'unet3d/train/1/img_07_of_12.npz')
    const bare = objectTargetOf('s3://data', undefined, '--data-dir')!
    assert.equal(trainObjectKey({...dataset, num_subfolders_train: 0}, bare, 0), 'train/img_00_of_12.npz')
  })

  it('refuses a bucket for ranks on other hosts, naming the flag and the way out', () => {
    assert.throws(() => refuseObjectStorageOnHosts('s3://data/ckpt', '--checkpoint-folder'),
      (error: Error & {where?: string; fix?: string}) => error.where === '--checkpoint-folder' && /no S3 credentials/.test(error.message) && /one host/.test(error.fix ?? ''))
    assert.doesNotThrow(() => refuseObjectStorageOnHosts('/mnt/ckpt', '--checkpoint-folder'))
  })

  it('keeps multipart uploads within 10,000 parts', () => {
    assert.equal(partBytesFor(1 << 30), PART_BYTES)
    const huge = 400 * 2 ** 30
    assert.ok(Math.ceil(huge / partBytesFor(huge)) <= 10_000)
    assert.equal(partBytesFor(huge) % (1 << 20), 0)
  })
})

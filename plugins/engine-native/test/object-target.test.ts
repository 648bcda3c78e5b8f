import assert from 'node:assert/strict'

import {hostObjectStorage, objectTargetOf, trainObjectKey} from '../src/s3/object-target.js'
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

  it('gives the workers of a run over hosts the bucket\'s settings and the credentials resolved by the controller; a folder needs none, missing credentials stop it', async () => {
    const config = {endpoint: 'http://10.0.0.5:9000', region: 'eu-1', forcePathStyle: true, credentials: 'environment' as const, allowAws: false}
    const saved = {id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN}
    try {
      Object.assign(process.env, {AWS_ACCESS_KEY_ID: 'AKIAHOSTS', AWS_SECRET_ACCESS_KEY: 'secret-for-hosts'})
      delete process.env.AWS_SESSION_TOKEN
      assert.deepEqual(await hostObjectStorage('s3://data/ckpt', config, '--checkpoint-folder'), {config, credentials: {accessKeyId: 'AKIAHOSTS', secretAccessKey: 'secret-for-hosts'}})
      assert.equal(await hostObjectStorage('/mnt/ckpt', config, '--checkpoint-folder'), undefined)
      delete process.env.AWS_ACCESS_KEY_ID
      await assert.rejects(hostObjectStorage('s3://data/ckpt', config, '--checkpoint-folder'),
        (error: Error & {where?: string}) => error.where === 'objectStorage.credentials' && /no S3 credentials in the environment/.test(error.message))
    } finally {
      for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_SESSION_TOKEN', saved.token]] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })

  it('keeps multipart uploads within 10,000 parts', () => {
    assert.equal(partBytesFor(1 << 30), PART_BYTES)
    const huge = 400 * 2 ** 30
    assert.ok(Math.ceil(huge / partBytesFor(huge)) <= 10_000)
    assert.equal(partBytesFor(huge) % (1 << 20), 0)
  })
})

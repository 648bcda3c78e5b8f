import {strict as assert} from 'node:assert'
import {randomBytes} from 'node:crypto'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {MlpsError} from '../../src/errors.js'
import {ExitCode} from '../../src/exit-codes.js'
import {type ObjectStorageConfig, type ObjectStore, objectStorageEndpoint, openObjectStore} from '../../src/storage/s3-client.js'
import {tempDir} from '../helpers/cli.js'
import {startS3Server, type TestS3Server} from '../helpers/s3-server.js'

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE']

/** Runs `body` with exactly these credential variables set, restoring the process's own after. */
async function withCredentialEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(CREDENTIAL_VARIABLES.map(name => [name, process.env[name]]))
  for (const name of CREDENTIAL_VARIABLES) delete process.env[name]
  Object.assign(process.env, env)
  try {
    return await body()
  } finally {
    for (const name of CREDENTIAL_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  }
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp, exitCode: ExitCode): Promise<MlpsError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught)
  assert.ok(error instanceof MlpsError, `expected an MlpsError, got ${String(error)}`)
  assert.match(error.render(), pattern)
  assert.equal(error.exitCode, exitCode)
  return error
}

describe('the S3 client against a real S3-compatible server (s3rver on loopback)', () => {
  let server: TestS3Server
  let config: ObjectStorageConfig
  let store: ObjectStore

  before(async () => {
    server = await startS3Server()
    config = {endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: 'environment', allowAws: false}
    store = await withCredentialEnv(server.credentialsEnv, () => openObjectStore(config, {bucket: server.bucket, where: '--data-dir'}))
  })
  after(async () => {
    store?.close()
    await server?.stop()
  })

  it('puts, heads, gets (whole and ranged, into a buffer), lists and deletes objects', async () => {
    await store.headBucket()
    const body = randomBytes(100_000)
    await store.putObject('run/a/one.bin', body)
    assert.deepEqual(await store.headObject('run/a/one.bin'), {key: 'run/a/one.bin', size: 100_000})
    assert.equal(await store.headObject('run/a/none.bin'), undefined)
    assert.ok((await store.getObject('run/a/one.bin')).equals(body))
    assert.ok((await store.getObject('run/a/one.bin', {offset: 1000, length: 24})).equals(body.subarray(1000, 1024)))
    const tail = await store.getObjectTail('run/a/one.bin', 22)
    assert.equal(tail.objectSize, 100_000)
    assert.ok(tail.body.equals(body.subarray(100_000 - 22)))
    assert.equal((await store.getObjectTail('run/a/one.bin', 1 << 20)).body.byteLength, 100_000, 'a suffix longer than the object gives it whole')
    const target = Buffer.alloc(200_000)
    assert.equal(await store.getObjectInto('run/a/one.bin', target), 100_000)
    assert.ok(target.subarray(0, 100_000).equals(body))
    const small = Buffer.alloc(10)
    assert.equal(await store.getObjectInto('run/a/one.bin', small, {offset: 5, length: 50}), 50, 'the whole range is read even when kept in part')
    assert.ok(small.equals(body.subarray(5, 15)))
    await store.putObject('run/b/two.bin', Buffer.from('two'))
    assert.deepEqual(await store.listPrefix('run/', 10), [{key: 'run/a/one.bin', size: 100_000}, {key: 'run/b/two.bin', size: 3}])
    // (a truncated listing is not tried: s3rver's continuation tokens use DES, which OpenSSL 3 no longer has)
    await store.deleteObject('run/b/two.bin')
    assert.deepEqual([...server.storedObjects('run/')], [['run/a/one.bin', 100_000]], 'the server\'s own folder holds what was put')
  })

  it('writes a large object as a multipart upload, parts sent in any order', async () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1234)]
    const upload = await store.createMultipartUpload('ckpt/shard-0')
    await Promise.all([upload.uploadPart(3, parts[2]), upload.uploadPart(1, parts[0]), upload.uploadPart(2, parts[1])])
    await upload.complete()
    const whole = Buffer.concat(parts)
    assert.equal(server.storedObjects('ckpt/').get('ckpt/shard-0'), whole.byteLength)
    assert.ok((await store.getObject('ckpt/shard-0')).equals(whole))
  })

  it('names the bucket and the fix when the bucket does not exist', async () => {
    const missing = await withCredentialEnv(server.credentialsEnv, () => openObjectStore(config, {bucket: 'no-such-bucket', where: '--data-dir'}))
    try {
      await rejectsWith(missing.headBucket(), /--data-dir: the bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+\n {2}fix: create it/, ExitCode.EnvironmentNotReady)
      await rejectsWith(missing.getObject('x'), /the bucket "no-such-bucket" does not exist/, ExitCode.EnvironmentNotReady)
    } finally {
      missing.close()
    }
  })

  it('names the key when an object is missing', async () => {
    await rejectsWith(store.getObject('run/absent.bin'), /s3:\/\/mlps-test\/run\/absent\.bin does not exist at http:\/\/127\.0\.0\.1:\d+\n {2}fix: generate the data first/, ExitCode.EnvironmentNotReady)
  })

  // s3rver checks a V4 request's access key id, not its signature, so the refused credentials are an unknown key id
  it('says the credentials were refused when the key is unknown, without showing the secret', async () => {
    const wrong = {AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY', AWS_SECRET_ACCESS_KEY: 'wrong-secret-value-123'}
    const refused = await withCredentialEnv(wrong, () => openObjectStore(config, {bucket: server.bucket, where: '--data-dir'}))
    try {
      const error = await rejectsWith(refused.getObject('run/a/one.bin'), /the S3 endpoint http:\/\/127\.0\.0\.1:\d+ refused the credentials for GetObject s3:\/\/mlps-test\/run\/a\/one\.bin \(InvalidAccessKeyId\)/, ExitCode.EnvironmentNotReady)
      assert.doesNotMatch(error.render(), /wrong-secret-value-123/)
    } finally {
      refused.close()
    }
  })

  it('stops at open when the environment has no credentials, naming the variables', async () => {
    await withCredentialEnv({}, () => rejectsWith(openObjectStore(config, {bucket: server.bucket, where: '--data-dir'}),
      /objectStorage\.credentials: no S3 credentials in the environment \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/, ExitCode.EnvironmentNotReady))
  })

  it('reads the shared credentials file, with its profile, when the config says file', async () => {
    const dir = tempDir('mlps-aws-')
    mkdirSync(dir, {recursive: true})
    const file = join(dir, 'credentials')
    writeFileSync(file, `[bench]\naws_access_key_id = ${server.accessKey}\naws_secret_access_key = ${server.secretKey}\n`)
    const fromFile = await withCredentialEnv({AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, 'config')},
      () => openObjectStore({...config, credentials: 'file', profile: 'bench'}, {bucket: server.bucket, where: '--data-dir'}))
    try {
      await fromFile.headBucket()
    } finally {
      fromFile.close()
    }
    await withCredentialEnv({AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, 'config')}, () =>
      rejectsWith(openObjectStore({...config, credentials: 'file', profile: 'other'}, {bucket: server.bucket, where: '--data-dir'}),
        /no S3 credentials for profile "other"/, ExitCode.EnvironmentNotReady))
  })

  it('says the endpoint cannot be reached when nothing listens there', async () => {
    const closed = await withCredentialEnv(server.credentialsEnv,
      () => openObjectStore({...config, endpoint: 'http://127.0.0.1:9'}, {bucket: server.bucket, where: '--data-dir'}))
    try {
      await rejectsWith(closed.headBucket(), /cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)[^]*fix: check objectStorage\.endpoint/, ExitCode.EnvironmentNotReady)
    } finally {
      closed.close()
    }
  })
})

describe('the S3 endpoint', () => {
  const base: ObjectStorageConfig = {region: 'us-east-1', forcePathStyle: true, credentials: 'environment', allowAws: false}

  it('is refused when missing (that would mean AWS) unless AWS is allowed', () => {
    assert.throws(() => objectStorageEndpoint(base, '--data-dir'), /no S3 endpoint is configured, which would send the traffic to AWS/)
    assert.throws(() => objectStorageEndpoint(undefined, '--data-dir'), /no S3 endpoint is configured/)
    assert.equal(objectStorageEndpoint({...base, allowAws: true}, '--data-dir'), undefined)
  })

  it('is refused when it is AWS unless AWS is allowed', () => {
    assert.throws(() => objectStorageEndpoint({...base, endpoint: 'https://s3.eu-west-1.amazonaws.com'}, '--data-dir'),
      (error: MlpsError) => /^objectStorage\.endpoint: the S3 endpoint https:\/\/s3\.eu-west-1\.amazonaws\.com is AWS\n {2}fix: /.test(error.render()))
    assert.equal(objectStorageEndpoint({...base, endpoint: 'https://s3.amazonaws.com', allowAws: true}, '--data-dir'), 'https://s3.amazonaws.com')
    assert.equal(objectStorageEndpoint({...base, endpoint: 'http://minio.local:9000'}, '--data-dir'), 'http://minio.local:9000')
  })
})

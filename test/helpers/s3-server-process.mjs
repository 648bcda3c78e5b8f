// The S3-compatible test server, in a process of its own: an engine under test may block its own
// thread (Atomics.wait), and a server on that thread would then never answer.
// argv: <folder> <bucket> ; env S3_TEST_ACCESS_KEY / S3_TEST_SECRET_KEY: the one key pair it accepts
import {createRequire} from 'node:module'
import {existsSync, rmSync} from 'node:fs'
import {join} from 'node:path'

const require = createRequire(import.meta.url)
const S3rver = require('s3rver')
const {DUMMY_ACCOUNT} = require('s3rver/lib/models/account')

const [folder, bucket] = process.argv.slice(2)
DUMMY_ACCOUNT.revokeAccessKey('S3RVER')
DUMMY_ACCOUNT.createKeyPair(process.env.S3_TEST_ACCESS_KEY, process.env.S3_TEST_SECRET_KEY)

// s3rver 3.7 has no AbortMultipartUpload (its DELETE ?uploadId= answers 405 and leaves the parts),
// and a part sent to an upload that is gone starts it again. Here both behave as S3 says.
const router = require('s3rver/lib/routes')
const objects = require('s3rver/lib/controllers/object')
const S3Error = require('s3rver/lib/models/error')
const uploadDir = (ctx) => join(ctx.store.getResourcePath(ctx.params.bucket, undefined, 'uploads'), ctx.query.uploadId)
const noSuchUpload = () => new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.')
const objectDelete = router.stack.find(layer => layer.path === '/:bucket/:key+' && layer.methods.includes('DELETE'))
const deleteHandler = objectDelete.stack.at(-1)
objectDelete.stack[objectDelete.stack.length - 1] = function abortOrDelete(ctx, next) {
  if (ctx.params.queryMethod !== 'uploadId') return deleteHandler(ctx, next)
  if (!existsSync(uploadDir(ctx))) throw noSuchUpload()
  rmSync(uploadDir(ctx), {recursive: true, force: true})
  ctx.status = 204
}
const uploadPart = objects.uploadPart
objects.uploadPart = async function partOfOpenUpload(ctx) {
  if (!existsSync(uploadDir(ctx))) throw noSuchUpload()
  return uploadPart(ctx)
}

const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory: folder, configureBuckets: [{name: bucket}]})
const {port} = await server.run()
process.stdout.write(`${JSON.stringify({port})}\n`)
// the parent closes stdin to stop the server (and a test that dies leaves no server behind)
process.stdin.resume()
process.stdin.on('end', () => server.close().then(() => process.exit(0)))

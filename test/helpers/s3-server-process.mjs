// The S3-compatible test server, in a process of its own: an engine under test may block its own
// thread (Atomics.wait), and a server on that thread would then never answer.
// argv: <folder> <bucket> ; env S3_TEST_ACCESS_KEY / S3_TEST_SECRET_KEY: the one key pair it accepts
import {createRequire} from 'node:module'

const require = createRequire(import.meta.url)
const S3rver = require('s3rver')
const {DUMMY_ACCOUNT} = require('s3rver/lib/models/account')

const [folder, bucket] = process.argv.slice(2)
DUMMY_ACCOUNT.revokeAccessKey('S3RVER')
DUMMY_ACCOUNT.createKeyPair(process.env.S3_TEST_ACCESS_KEY, process.env.S3_TEST_SECRET_KEY)
const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory: folder, configureBuckets: [{name: bucket}]})
const {port} = await server.run()
process.stdout.write(`${JSON.stringify({port})}\n`)
// the parent closes stdin to stop the server (and a test that dies leaves no server behind)
process.stdin.resume()
process.stdin.on('end', () => server.close().then(() => process.exit(0)))

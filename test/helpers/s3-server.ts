import {randomBytes} from 'node:crypto'
import {existsSync, readFileSync, readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa} from 'execa'

import {tempDir} from './cli.js'

export interface TestS3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string
  bucket: string
  /** where the server keeps its buckets: <folder>/<bucket>/<key>._S3rver_object */
  folder: string
  accessKey: string
  secretKey: string
  /** the environment that gives a client this server's credentials */
  credentialsEnv: Record<string, string>
  /** The objects under a prefix as the server's own folder holds them: key → size (an independent view). */
  storedObjects(prefix?: string): Map<string, number>
  /** The multipart uploads begun and neither completed nor aborted, as the server's own folder holds them: their keys. */
  openUploads(): string[]
  stop(): Promise<void>
}

const OBJECT_SUFFIX = '._S3rver_object'
/** s3rver keeps each open multipart upload as a folder here, named by its upload id, with the key in a file `key` */
const UPLOADS_FOLDER = '._S3rver_uploads'
const serverProcess = fileURLToPath(new URL('s3-server-process.mjs', import.meta.url))

/**
 * A real S3-compatible server (s3rver) on a free loopback port, in a child process, with its own
 * folder, one bucket and a fresh random key pair (only that pair is accepted, so signatures are checked).
 */
export async function startS3Server(bucket = 'mlps-test'): Promise<TestS3Server> {
  const folder = tempDir('mlps-s3-')
  const accessKey = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`
  const secretKey = randomBytes(20).toString('base64url')
  const child = execa(process.execPath, [serverProcess, folder, bucket], {
    env: {S3_TEST_ACCESS_KEY: accessKey, S3_TEST_SECRET_KEY: secretKey},
    stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', reject: false, buffer: false,
  })
  const port = await new Promise<number>((resolve, reject) => {
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      const line = text.split('\n')[0]
      if (text.includes('\n')) resolve((JSON.parse(line) as {port: number}).port)
    })
    void child.then(result => reject(new Error(`the S3 test server exited (${result.exitCode}) before it listened`)))
  })
  return {
    endpoint: `http://127.0.0.1:${port}`, bucket, folder, accessKey, secretKey,
    credentialsEnv: {AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey},
    storedObjects: (prefix = '') => storedObjects(join(folder, bucket), prefix),
    openUploads: () => openUploads(join(folder, bucket, UPLOADS_FOLDER)),
    async stop() {
      child.stdin.end()
      await child
    },
  }
}

function storedObjects(bucketDir: string, prefix: string): Map<string, number> {
  const found = new Map<string, number>()
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, {withFileTypes: true})) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith(OBJECT_SUFFIX)) {
        const key = relative(bucketDir, path).slice(0, -OBJECT_SUFFIX.length)
        if (key.startsWith(prefix)) found.set(key, statSync(path).size)
      }
    }
  }
  walk(bucketDir)
  return new Map([...found].sort(([a], [b]) => a.localeCompare(b)))
}

function openUploads(uploadsDir: string): string[] {
  if (!existsSync(uploadsDir)) return []
  return readdirSync(uploadsDir).map(id => {
    const keyFile = join(uploadsDir, id, 'key')
    return existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : `(upload ${id}, no key)`
  }).sort()
}

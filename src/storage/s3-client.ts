import {Agent as HttpAgent} from 'node:http'
import {Agent as HttpsAgent} from 'node:https'
import type {S3Client} from '@aws-sdk/client-s3'

import type {MlpsConfig} from '../config/schema.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {redactText, rememberSecret} from '../util/redact-secrets.js'

export type ObjectStorageConfig = NonNullable<MlpsConfig['objectStorage']>

export interface ObjectStoreOptions {
  bucket: string
  /** the flag or config key the bucket came from, for errors */
  where: string
  /** sockets kept open to the endpoint: at least the number of requests a caller has in flight */
  maxSockets?: number
  /**
   * Cancels the requests in flight and refuses new ones, but not a multipart upload's create,
   * complete and abort: a create or complete cut on the wire may have happened on the server
   * without the client knowing, which leaves an upload it can no longer abort.
   */
  signal?: AbortSignal
  /**
   * Credentials resolved elsewhere (by the controller of a run over hosts, which hands them to its
   * workers): used as they are instead of the config's credential source.
   */
  credentials?: ObjectStoreCredentials
}

/** An S3 key pair (and session token), as the credential sources resolve it. */
export interface ObjectStoreCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** A byte range of an object: `length` bytes from `offset`. */
export interface ByteRange {
  offset: number
  length: number
}

export interface ObjectInfo {
  key: string
  size: number
}

/** A multipart upload in progress: parts are numbered from 1, every part but the last at least 5 MiB. */
export interface MultipartUpload {
  readonly uploadId: string
  uploadPart(partNumber: number, body: Uint8Array): Promise<void>
  complete(): Promise<void>
  abort(): Promise<void>
}

/** One bucket of an S3-compatible endpoint, with errors that say what to fix. */
export interface ObjectStore {
  readonly endpoint: string
  readonly bucket: string
  headBucket(): Promise<void>
  /** The object's size, or undefined when there is no such object. */
  headObject(key: string): Promise<ObjectInfo | undefined>
  getObject(key: string, range?: ByteRange): Promise<Buffer>
  /**
   * The last `length` bytes of the object (all of it when shorter) and its size, in one GET: footers,
   * zip directories. With `expectedSize` (a planned size) the tail is asked for as an explicit range,
   * and asked again should the object's size differ.
   */
  getObjectTail(key: string, length: number, expectedSize?: number): Promise<{body: Buffer; objectSize: number}>
  /**
   * Reads the object (or a range of it) into `target` from its start; returns the bytes read. A body
   * larger than `target` is read in full and kept in part; `inspect` sees every chunk at its position.
   */
  getObjectInto(key: string, target: Buffer, range?: ByteRange, inspect?: (chunk: Uint8Array, position: number) => void): Promise<number>
  putObject(key: string, body: Uint8Array): Promise<void>
  createMultipartUpload(key: string): Promise<MultipartUpload>
  deleteObject(key: string): Promise<void>
  /** At most `limit` objects under a prefix: for checks and tests, never needed to start a run. */
  listPrefix(prefix: string, limit: number): Promise<ObjectInfo[]>
  close(): void
}

/** AWS's own endpoints: traffic there costs money and may not be what a storage benchmark meant to measure. */
const AWS_HOST = /(^|\.)amazonaws\.com(\.cn)?$/i

/** The endpoint to use, refusing AWS (named or implied by no endpoint) unless the config allows it. */
export function objectStorageEndpoint(config: ObjectStorageConfig | undefined, where: string): string | undefined {
  if (config?.endpoint === undefined) {
    if (config?.allowAws === true) return undefined
    throw new MlpsError('no S3 endpoint is configured, which would send the traffic to AWS', {
      where, exitCode: ExitCode.BadInput,
      fix: 'set objectStorage.endpoint in the site config (e.g. http://10.0.0.5:9000), or objectStorage.allowAws: true to use AWS',
    })
  }
  if (AWS_HOST.test(new URL(config.endpoint).hostname) && config.allowAws !== true) {
    throw new MlpsError(`the S3 endpoint ${config.endpoint} is AWS`, {
      where: 'objectStorage.endpoint', exitCode: ExitCode.BadInput,
      fix: 'point objectStorage.endpoint at the storage under test, or set objectStorage.allowAws: true if AWS is meant',
    })
  }
  return config.endpoint
}

/**
 * Opens one bucket of the configured endpoint. The SDK is imported here, not at start-up: only runs that
 * use S3 pay for loading it. Credentials come only from the environment or the shared credentials file,
 * and are resolved now, so that missing ones stop a run before it starts.
 */
export async function openObjectStore(config: ObjectStorageConfig | undefined, options: ObjectStoreOptions): Promise<ObjectStore> {
  const endpoint = objectStorageEndpoint(config, options.where)
  const shown = endpoint ?? 'AWS'
  const credentials = options.credentials ?? await resolveObjectStoreCredentials(config)
  remember(credentials)
  // the SDK warns on stderr, in the middle of a run's output, that its releases after January 2027 need Node 22
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const sdk = await import('@aws-sdk/client-s3')
  const maxSockets = Math.max(options.maxSockets ?? 64, 1)
  const client = new sdk.S3Client({
    endpoint,
    region: config?.region ?? 'us-east-1',
    forcePathStyle: config?.forcePathStyle ?? true,
    credentials,
    // recent SDKs add CRC32 checksums to every upload and check them on every download; S3-compatible
    // servers (s3rver, older MinIO, Ceph) reject or mangle them, and benchmark data needs no second checksum
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      httpAgent: new HttpAgent({keepAlive: true, maxSockets}),
      httpsAgent: new HttpsAgent({keepAlive: true, maxSockets}),
      connectionTimeout: 10_000,
    },
  })
  const fail = (operation: string, key: string | undefined, error: unknown) =>
    objectStoreError(error, {endpoint: shown, bucket: options.bucket, key, operation, where: options.where})
  return new SdkObjectStore(client, sdk, shown, options.bucket, fail, {abortSignal: options.signal})
}

type Sdk = typeof import('@aws-sdk/client-s3')
type RequestOptions = {abortSignal?: AbortSignal}
type Fail = (operation: string, key: string | undefined, error: unknown) => MlpsError

class SdkObjectStore implements ObjectStore {
  constructor(
    private readonly client: S3Client, private readonly sdk: Sdk,
    readonly endpoint: string, readonly bucket: string, private readonly fail: Fail, private readonly requests: RequestOptions,
  ) {}

  async headBucket(): Promise<void> {
    try {
      await this.client.send(new this.sdk.HeadBucketCommand({Bucket: this.bucket}), this.requests)
    } catch (error) {
      throw this.fail('HeadBucket', undefined, error)
    }
  }

  async headObject(key: string): Promise<ObjectInfo | undefined> {
    try {
      const head = await this.client.send(new this.sdk.HeadObjectCommand({Bucket: this.bucket, Key: key}), this.requests)
      return {key, size: head.ContentLength ?? 0}
    } catch (error) {
      if (httpStatus(error) === 404 && errorName(error) !== 'NoSuchBucket') return undefined
      throw this.fail('HeadObject', key, error)
    }
  }

  async getObject(key: string, range?: ByteRange): Promise<Buffer> {
    try {
      const body = await this.getBody(key, range)
      return Buffer.from(await body.transformToByteArray())
    } catch (error) {
      throw this.fail('GetObject', key, error)
    }
  }

  async getObjectTail(key: string, length: number, expectedSize?: number): Promise<{body: Buffer; objectSize: number}> {
    try {
      const asked = expectedSize === undefined ? `bytes=-${length}` : `bytes=${Math.max(0, expectedSize - length)}-${Math.max(0, expectedSize - 1)}`
      const response = await this.client.send(new this.sdk.GetObjectCommand({Bucket: this.bucket, Key: key, Range: asked}), this.requests)
      if (response.Body === undefined) throw new Error('the endpoint returned no body')
      const body = Buffer.from(await response.Body.transformToByteArray())
      // "bytes 100-199/200"; an object shorter than the suffix may come whole, without a range
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.ContentRange ?? '')
      if (range === null) return {body, objectSize: body.byteLength}
      const [start, objectSize] = [Number(range[1]), Number(range[3])]
      const tailStart = Math.max(0, objectSize - length)
      if (start === tailStart && Number(range[2]) === objectSize - 1) return {body, objectSize}
      // not the tail: the object's size is not the expected one, or the server (s3rver) read "bytes=-N" as
      // "bytes=0-N"; the answer told the true size, so ask for the tail again
      return {body: await this.getObject(key, {offset: tailStart, length: objectSize - tailStart}), objectSize}
    } catch (error) {
      // an object shorter than expected: the range starts past its end
      if (expectedSize !== undefined && httpStatus(error) === 416) return this.getObjectTail(key, length)
      throw this.fail('GetObject', key, error)
    }
  }

  async getObjectInto(key: string, target: Buffer, range?: ByteRange, inspect?: (chunk: Uint8Array, position: number) => void): Promise<number> {
    try {
      const body = await this.getBody(key, range)
      let filled = 0
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        // an object larger than the buffer is read in full (the GET is measured) but kept only in part
        const room = Math.min(chunk.byteLength, target.byteLength - filled)
        if (room > 0) target.set(room === chunk.byteLength ? chunk : chunk.subarray(0, room), filled)
        inspect?.(chunk, filled)
        filled += chunk.byteLength
      }
      return filled
    } catch (error) {
      throw this.fail('GetObject', key, error)
    }
  }

  async putObject(key: string, body: Uint8Array): Promise<void> {
    try {
      await this.client.send(new this.sdk.PutObjectCommand({Bucket: this.bucket, Key: key, Body: body, ContentLength: body.byteLength}), this.requests)
    } catch (error) {
      throw this.fail('PutObject', key, error)
    }
  }

  async createMultipartUpload(key: string): Promise<MultipartUpload> {
    const {client, sdk, bucket, fail, requests} = this
    let uploadId: string
    try {
      const created = await client.send(new sdk.CreateMultipartUploadCommand({Bucket: bucket, Key: key}))
      if (created.UploadId === undefined) throw new Error('the endpoint returned no UploadId')
      uploadId = created.UploadId
    } catch (error) {
      throw fail('CreateMultipartUpload', key, error)
    }
    const parts: {PartNumber: number; ETag: string}[] = []
    return {
      uploadId,
      async uploadPart(partNumber, body) {
        try {
          const part = await client.send(new sdk.UploadPartCommand({
            Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.byteLength,
          }), requests)
          parts.push({PartNumber: partNumber, ETag: part.ETag ?? ''})
        } catch (error) {
          throw fail('UploadPart', key, error)
        }
      },
      async complete() {
        try {
          parts.sort((a, b) => a.PartNumber - b.PartNumber)
          await client.send(new sdk.CompleteMultipartUploadCommand({Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: {Parts: parts}}))
        } catch (error) {
          throw fail('CompleteMultipartUpload', key, error)
        }
      },
      async abort() {
        try {
          await client.send(new sdk.AbortMultipartUploadCommand({Bucket: bucket, Key: key, UploadId: uploadId}))
        } catch (error) {
          throw fail('AbortMultipartUpload', key, error)
        }
      },
    }
  }

  async deleteObject(key: string): Promise<void> {
    try {
      await this.client.send(new this.sdk.DeleteObjectCommand({Bucket: this.bucket, Key: key}), this.requests)
    } catch (error) {
      throw this.fail('DeleteObject', key, error)
    }
  }

  async listPrefix(prefix: string, limit: number): Promise<ObjectInfo[]> {
    const found: ObjectInfo[] = []
    let token: string | undefined
    try {
      do {
        const page = await this.client.send(new this.sdk.ListObjectsV2Command({
          Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: Math.min(1000, limit - found.length),
        }), this.requests)
        for (const item of page.Contents ?? []) found.push({key: item.Key ?? '', size: item.Size ?? 0})
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token !== undefined && found.length < limit)
    } catch (error) {
      throw this.fail('ListObjectsV2', prefix, error)
    }
    return found.slice(0, limit)
  }

  close(): void {
    this.client.destroy()
  }

  private async getBody(key: string, range?: ByteRange) {
    const response = await this.client.send(new this.sdk.GetObjectCommand({
      Bucket: this.bucket, Key: key,
      Range: range === undefined ? undefined : `bytes=${range.offset}-${range.offset + range.length - 1}`,
    }), this.requests)
    if (response.Body === undefined) throw new Error('the endpoint returned no body')
    return response.Body
  }
}

/**
 * The credentials the config names (the environment, or a profile of the shared credentials file),
 * resolved now; missing ones are an MlpsError saying where they were looked for and how to set them.
 */
export async function resolveObjectStoreCredentials(config: ObjectStorageConfig | undefined): Promise<ObjectStoreCredentials> {
  const source = config?.credentials ?? 'environment'
  const provider = source === 'environment'
    ? (await import('@aws-sdk/credential-provider-env')).fromEnv()
    : (await import('@aws-sdk/credential-provider-ini')).fromIni({profile: config?.profile})
  try {
    const {accessKeyId, secretAccessKey, sessionToken} = await provider()
    const resolved = {accessKeyId, secretAccessKey, ...(sessionToken ? {sessionToken} : {})}
    remember(resolved)
    return resolved
  } catch (error) {
    const profile = config?.profile ?? process.env.AWS_PROFILE ?? 'default'
    throw new MlpsError(source === 'environment'
      ? 'no S3 credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set)'
      : `no S3 credentials for profile "${profile}" in ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}`, {
      where: 'objectStorage.credentials', exitCode: ExitCode.EnvironmentNotReady, cause: error,
      fix: source === 'environment'
        ? 'export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or set objectStorage.credentials: file to use the shared credentials file'
        : `add a [${profile}] section with aws_access_key_id and aws_secret_access_key, or set objectStorage.profile`,
    })
  }
}

/** So that text quoting them (an endpoint's error) is scrubbed, in whichever process or thread holds them. */
function remember(credentials: ObjectStoreCredentials): void {
  rememberSecret(credentials.accessKeyId)
  rememberSecret(credentials.secretAccessKey)
  rememberSecret(credentials.sessionToken)
}

function errorName(error: unknown): string {
  return (error as {name?: string; Code?: string})?.Code ?? (error as {name?: string})?.name ?? ''
}

function httpStatus(error: unknown): number | undefined {
  return (error as {$metadata?: {httpStatusCode?: number}})?.$metadata?.httpStatusCode
}

/** Network failures surface as Node's error codes, on the error or its cause. */
function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const code = (current as {code?: unknown}).code
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code
    current = (current as {cause?: unknown}).cause
  }
  return undefined
}

interface FailureContext {
  endpoint: string
  bucket: string
  key: string | undefined
  operation: string
  where: string
}

/** An SDK error as an MlpsError naming the endpoint, bucket and key, the problem and the fix. */
export function objectStoreError(error: unknown, context: FailureContext): MlpsError {
  if (error instanceof MlpsError) return error
  const {endpoint, bucket, key, operation, where} = context
  const target = key === undefined ? `s3://${bucket}` : `s3://${bucket}/${key}`
  const name = errorName(error)
  const status = httpStatus(error)
  const code = networkCode(error)
  const detail = redactText(error instanceof Error ? error.message : String(error))
  const make = (message: string, fix: string, exitCode = ExitCode.EnvironmentNotReady) =>
    new MlpsError(message, {where, fix, exitCode, cause: error})
  if (code !== undefined) {
    return make(`cannot reach the S3 endpoint ${endpoint} (${code}) for ${operation} ${target}`,
      'check objectStorage.endpoint (scheme, host and port) and that the object store is running and reachable from this host')
  }
  if (name === 'NoSuchBucket' || (status === 404 && key === undefined)) {
    return make(`the bucket "${bucket}" does not exist at ${endpoint}`, `create it (e.g. \`s3cmd mb s3://${bucket}\`) or fix the bucket name in the URI`)
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return make(`${target} does not exist at ${endpoint}`, 'generate the data first (the datagen command), or fix the prefix in the URI')
  }
  if (name === 'InvalidAccessKeyId' || name === 'SignatureDoesNotMatch') {
    return make(`the S3 endpoint ${endpoint} refused the credentials for ${operation} ${target} (${name})`,
      'check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the credentials file profile) against the object store\'s users')
  }
  if (name === 'AccessDenied' || status === 403) {
    return make(`access denied: ${operation} ${target} at ${endpoint}`,
      `grant these credentials ${operation.startsWith('Get') || operation.startsWith('Head') || operation.startsWith('List') ? 'read' : 'write'} access to the bucket "${bucket}"`)
  }
  return make(`${operation} ${target} at ${endpoint} failed: ${name ? `${name}: ` : ''}${detail}`,
    'check the object store\'s logs; rerun when the endpoint is healthy', ExitCode.RunFailed)
}

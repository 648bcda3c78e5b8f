import fs from 'node:fs'
import {randomFillSync} from 'node:crypto'
import type {MultipartUpload, ObjectStore} from 'mlps/unstable'

/**
 * Objects up to this size go up in one PUT; larger ones as a multipart upload of parts this size
 * (S3's parts are 5 MiB to 5 GiB, at most 10,000 of them: 16 MiB parts reach 160 GiB objects).
 */
export const PART_BYTES = 16 << 20
const MAX_PARTS = 10_000

/** The part size for an object: PART_BYTES, or larger when the object would need more than 10,000 parts. */
export function partBytesFor(objectBytes: number): number {
  return Math.max(PART_BYTES, Math.ceil(objectBytes / MAX_PARTS / (1 << 20)) * (1 << 20))
}

/**
 * Writes an object of `bytes` bytes whose content `fill(buffer, offset)` puts into each part buffer:
 * one PUT when it fits a part, else a multipart upload with up to `inFlight` parts on the wire at
 * once. An upload that does not complete (a part failed, a fill threw, the store's signal cancelled
 * the requests) is aborted on the server once no part of it is on the wire any more — a part that
 * lands after the abort could start it again — so no half object and no billed parts are left.
 */
export async function uploadObject(store: ObjectStore, key: string, bytes: number, inFlight: number, fill: (buffer: Buffer, offset: number) => void): Promise<void> {
  const partBytes = partBytesFor(bytes)
  if (bytes <= partBytes) {
    const body = Buffer.allocUnsafe(bytes)
    fill(body, 0)
    await store.putObject(key, body)
    return
  }
  const upload = await store.createMultipartUpload(key)
  const parts = Math.ceil(bytes / partBytes)
  const buffers = Array.from({length: Math.min(inFlight, parts)}, () => Buffer.allocUnsafe(partBytes))
  let next = 0
  let failed = false
  // each lane owns one buffer and sends its parts one after the other; a failure stops the others at their next part
  const lanes = await Promise.allSettled(buffers.map(async buffer => {
    try {
      for (let part = next++; part < parts && !failed; part = next++) {
        const offset = part * partBytes
        const body = buffer.subarray(0, Math.min(partBytes, bytes - offset))
        fill(body, offset)
        await upload.uploadPart(part + 1, body)
      }
    } catch (error) {
      failed = true
      throw error
    }
  }))
  const failure = lanes.find((lane): lane is PromiseRejectedResult => lane.status === 'rejected')
  if (failure !== undefined) return abortUpload(store, key, upload, failure.reason)
  try {
    await upload.complete()
  } catch (error) {
    await abortUpload(store, key, upload, error)
  }
}

/** Aborts a multipart upload and rethrows why it was abandoned; when the abort fails too, the error says which upload is left open and how to remove it. */
async function abortUpload(store: ObjectStore, key: string, upload: MultipartUpload, why: unknown): Promise<never> {
  try {
    await upload.abort()
  } catch (error) {
    throw new UploadLeftOpenError(`s3://${store.bucket}/${key}`, upload.uploadId, why, error)
  }
  throw why
}

/** A multipart upload abandoned and not aborted: its parts stay on the server (and are billed) until someone aborts it. */
export class UploadLeftOpenError extends Error {
  constructor(readonly uri: string, readonly uploadId: string, why: unknown, abortError: unknown) {
    super(`${why instanceof Error ? why.message : String(why)}; and the multipart upload ${uploadId} of ${uri} could not be aborted (${abortError instanceof Error ? abortError.message : String(abortError)}): ` +
      `its parts stay on the server until it is (\`s3cmd abortmp ${uri} ${uploadId}\`, or a lifecycle rule that aborts incomplete multipart uploads)`, {cause: why})
    this.name = 'UploadLeftOpenError'
  }
}

/** Fresh random bytes for every part: no free ride for deduplicating or compressing storage. */
export function randomFill(buffer: Buffer): void {
  randomFillSync(buffer)
}

/** Fills part buffers from a local file, read at the part's offset. */
export function fileFill(fd: number): (buffer: Buffer, offset: number) => void {
  return (buffer, offset) => {
    let done = 0
    while (done < buffer.length) {
      const got = fs.readSync(fd, buffer, done, buffer.length - done, offset + done)
      if (got === 0) throw new Error(`the staged file ended at byte ${offset + done}, before the object's ${offset + buffer.length}`)
      done += got
    }
  }
}

import fs from 'node:fs'
import {randomFillSync} from 'node:crypto'
import type {ObjectStore} from 'mlps/unstable'

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
 * once; an upload that fails is aborted, so no half object and no orphaned parts are left.
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
  try {
    const parts = Math.ceil(bytes / partBytes)
    const buffers = Array.from({length: Math.min(inFlight, parts)}, () => Buffer.allocUnsafe(partBytes))
    let next = 0
    // each lane owns one buffer and sends its parts one after the other
    await Promise.all(buffers.map(async buffer => {
      for (let part = next++; part < parts; part = next++) {
        const offset = part * partBytes
        const body = buffer.subarray(0, Math.min(partBytes, bytes - offset))
        fill(body, offset)
        await upload.uploadPart(part + 1, body)
      }
    }))
    await upload.complete()
  } catch (error) {
    await upload.abort().catch(() => undefined)
    throw error
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

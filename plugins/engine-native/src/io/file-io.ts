import fs from 'node:fs'
import {randomFillSync} from 'node:crypto'

/** A file came back shorter than its own structure says it is. */
export class TruncatedFileError extends Error {
  override readonly name = 'TruncatedFileError'
  constructor(
    readonly file: string,
    readonly expectedBytes: number,
    readonly actualBytes: number,
    what: string,
  ) {
    super(
      `${file} is shorter than expected: ${what} needs ${expectedBytes} bytes but the file has ${actualBytes}. ` +
        'Regenerate the dataset (run datagen again; it rewrites incomplete files).',
    )
  }
}

/** Reads exactly `length` bytes at `position` into `buffer[0..length)`, or reports truncation. */
export function readExactly(fd: number, buffer: Buffer, position: number, length: number, file: string, what: string): Buffer {
  let done = 0
  while (done < length) {
    const got = fs.readSync(fd, buffer, done, length - done, position + done)
    if (got === 0) throw new TruncatedFileError(file, position + length, position + done, what)
    done += got
  }
  return buffer.subarray(0, length)
}

/**
 * Reads `length` bytes at `position` through the reused `scratch` buffer,
 * chunk by chunk: the bytes are read (so storage serves them) and then
 * dropped, as DLIO hands compute a pre-built resized sample, not the data.
 * `inspect` sees each chunk, for checks on the last bytes.
 */
export function readRange(
  fd: number,
  scratch: Buffer,
  position: number,
  length: number,
  file: string,
  what: string,
  inspect?: (chunk: Buffer, chunkPosition: number) => void,
): number {
  let done = 0
  while (done < length) {
    const want = Math.min(scratch.length, length - done)
    const got = fs.readSync(fd, scratch, 0, want, position + done)
    if (got === 0) throw new TruncatedFileError(file, position + length, position + done, what)
    inspect?.(scratch.subarray(0, got), position + done)
    done += got
  }
  return length
}

/** Writes all of `bytes` at the current position. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done)
}

/**
 * Writes `length` fresh random bytes (incompressible and never repeated, so
 * compressing or deduplicating storage gets no free ride) through `scratch`.
 * `observe` sees each chunk, e.g. to fold it into a checksum.
 */
export function writeRandom(fd: number, scratch: Buffer, length: number, observe?: (chunk: Buffer) => void): void {
  let left = length
  while (left > 0) {
    const chunk = scratch.subarray(0, Math.min(scratch.length, left))
    randomFillSync(chunk)
    observe?.(chunk)
    writeAll(fd, chunk)
    left -= chunk.length
  }
}

import fs from 'node:fs'
import {randomFillSync} from 'node:crypto'

import type {DlioDataset} from '../workload.js'
import {TruncatedFileError, readRange, writeAll} from '../io/file-io.js'
import type {DatasetFormat, SampleReader} from './dataset-format.js'
import {planFileDimensions} from './sample-dimensions.js'

/**
 * A file per sample that is a well-formed JPEG container around random
 * bytes: SOI, a JFIF APP0 segment, COM segments holding the random payload,
 * EOI. DLIO's generator saves a dim1×dim2 noise image with PIL (engines.md
 * §1.5) and its readers take the raw bytes, so only the size (dim1·dim2,
 * the uncompressed image) and the markers matter; the image is never decoded.
 */
const SOI = Buffer.from([0xff, 0xd8])
const EOI = Buffer.from([0xff, 0xd9])
const APP0_JFIF = Buffer.from([
  0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
])
const COM_MARKER = [0xff, 0xfe] as const
const SEGMENT_HEADER_BYTES = 4
/** A segment length field counts itself and is 16 bits wide. */
const MAX_SEGMENT_PAYLOAD = 0xffff - 2
export const JPEG_MINIMUM_BYTES = SOI.length + APP0_JFIF.length + EOI.length

export function jpegFileSize(dim1: number, dim2: number): number {
  return Math.max(dim1 * dim2, JPEG_MINIMUM_BYTES)
}

export function writeJpegFile(fd: number, size: number, scratch: Buffer): void {
  writeAll(fd, SOI)
  writeAll(fd, APP0_JFIF)
  const body = size - JPEG_MINIMUM_BYTES
  const segments = Math.ceil(body / (SEGMENT_HEADER_BYTES + MAX_SEGMENT_PAYLOAD))
  const payload = body - segments * SEGMENT_HEADER_BYTES
  if (payload < 0) {
    // Too small for a COM segment: JPEG allows 0xFF fill bytes before a marker.
    writeAll(fd, Buffer.alloc(body, 0xff))
  } else {
    const header = Buffer.from([...COM_MARKER, 0, 0])
    for (let s = 0; s < segments; s++) {
      const length = Math.floor(payload / segments) + (s < payload % segments ? 1 : 0)
      header.writeUInt16BE(length + 2, 2)
      writeAll(fd, header)
      const chunk = scratch.subarray(0, length)
      randomFillSync(chunk)
      writeAll(fd, chunk)
    }
  }
  writeAll(fd, EOI)
}

/** DLIO's image readers open and read the whole file for each sample. */
export class JpegSampleReader implements SampleReader {
  constructor(private readonly scratch: Buffer) {}

  readSample(file: string): number {
    const fd = fs.openSync(file, 'r')
    try {
      const {size} = fs.fstatSync(fd)
      if (size < JPEG_MINIMUM_BYTES) throw new TruncatedFileError(file, JPEG_MINIMUM_BYTES, size, 'a JPEG')
      // The first chunk always holds the SOI (files are at least JPEG_MINIMUM_BYTES);
      // the EOI may straddle the last two chunks, so keep a rolling tail.
      let startsWithSoi = false
      const tail = [-1, -1]
      readRange(fd, this.scratch, 0, size, file, 'the JPEG', (chunk, position) => {
        if (position === 0) startsWithSoi = chunk[0] === SOI[0] && chunk[1] === SOI[1]
        for (const byte of chunk.subarray(-2)) {
          tail[0] = tail[1]
          tail[1] = byte
        }
      })
      if (!startsWithSoi) throw new Error(`${file} is not a JPEG: it does not start with the SOI marker`)
      if (tail[0] !== EOI[0] || tail[1] !== EOI[1]) throw new Error(`${file} looks truncated: it does not end with the JPEG EOI marker`)
      return size
    } finally {
      fs.closeSync(fd)
    }
  }

  close(): void {}
}

export function jpegFormat(dataset: DlioDataset): DatasetFormat {
  const {dim1, dim2} = planFileDimensions(dataset)
  return {
    extension: 'jpeg',
    plannedSizesMatchDlio: false,
    plannedFileSize: i => jpegFileSize(dim1[i], dim2[i]),
    writeFile: (fd, i, scratch) => writeJpegFile(fd, jpegFileSize(dim1[i], dim2[i]), scratch),
    createSampleReader: scratch => new JpegSampleReader(scratch),
  }
}

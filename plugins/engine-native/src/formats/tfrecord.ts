import fs from 'node:fs'
import {randomFillSync} from 'node:crypto'

import type {DlioDataset} from '../workload.js'
import {TruncatedFileError, readExactly, readRange, writeAll} from '../io/file-io.js'
import {crc32c, maskCrc, maskedCrc32c} from './crc32c.js'
import type {DatasetFormat, SampleReader} from './dataset-format.js'
import {nominalDimension, planFileDimensions} from './sample-dimensions.js'
import {exampleFrame} from './tf-example.js'

/** TFRecord framing: u64 LE length, masked CRC32C of the length, data, masked CRC32C of the data. */
export const RECORD_HEADER_BYTES = 12
export const RECORD_FOOTER_BYTES = 4

export function tfrecordRecordBytes(dataBytes: number): number {
  return RECORD_HEADER_BYTES + dataBytes + RECORD_FOOTER_BYTES
}

export function recordHeader(dataBytes: number): Buffer {
  const header = Buffer.alloc(RECORD_HEADER_BYTES)
  header.writeBigUInt64LE(BigInt(dataBytes), 0)
  header.writeUInt32LE(maskedCrc32c(header, 0, 8), 8)
  return header
}

/**
 * One file = `samples` records, each a `tf.train.Example` whose image is
 * dim1·dim2 fresh random bytes — DLIO's TFRecord generator, where the
 * dimensions are drawn per file (engines.md §1.5).
 */
export function writeTfrecordFile(fd: number, dim1: number, dim2: number, samples: number, sizeFeature: number, scratch: Buffer): void {
  const frame = exampleFrame(dim1 * dim2, sizeFeature)
  const header = recordHeader(frame.length)
  const footer = Buffer.alloc(RECORD_FOOTER_BYTES)
  for (let record = 0; record < samples; record++) {
    writeAll(fd, header)
    writeAll(fd, frame.prefix)
    let crc = crc32c(frame.prefix)
    let left = frame.imageBytes
    while (left > 0) {
      const chunk = scratch.subarray(0, Math.min(scratch.length, left))
      randomFillSync(chunk)
      crc = crc32c(chunk, 0, chunk.length, crc)
      writeAll(fd, chunk)
      left -= chunk.length
    }
    writeAll(fd, frame.suffix)
    crc = crc32c(frame.suffix, 0, frame.suffix.length, crc)
    footer.writeUInt32LE(maskCrc(crc))
    writeAll(fd, footer)
  }
}

export function tfrecordFileSize(dim1: number, dim2: number, samples: number, sizeFeature: number): number {
  return samples * tfrecordRecordBytes(exampleFrame(dim1 * dim2, sizeFeature).length)
}

/**
 * Walks records like TensorFlow's record reader: read the 12-byte header,
 * check the length CRC, then read data and its CRC. Consecutive samples of a
 * file continue from where the previous one ended (TF streams a file); a
 * jump backwards restarts the walk. The data CRC is not recomputed on reads —
 * that would spend the emulator's CPU on work TF does in hardware-assisted C++.
 */
export class TfrecordSampleReader implements SampleReader {
  private file: string | undefined
  private fd = -1
  private fileBytes = 0
  private nextRecord = 0
  private nextOffset = 0

  constructor(private readonly scratch: Buffer) {}

  readSample(file: string, sampleIndex: number): number {
    if (file !== this.file) this.open(file)
    if (sampleIndex < this.nextRecord) {
      this.nextRecord = 0
      this.nextOffset = 0
    }
    let bytesRead = 0
    while (this.nextRecord <= sampleIndex) {
      const dataBytes = this.readRecordHeader()
      bytesRead += RECORD_HEADER_BYTES
      const recordEnd = this.nextOffset + RECORD_HEADER_BYTES + dataBytes + RECORD_FOOTER_BYTES
      if (recordEnd > this.fileBytes) {
        throw new TruncatedFileError(file, recordEnd, this.fileBytes, `record ${this.nextRecord}`)
      }
      if (this.nextRecord === sampleIndex) {
        bytesRead += readRange(this.fd, this.scratch, this.nextOffset + RECORD_HEADER_BYTES, dataBytes + RECORD_FOOTER_BYTES, file, `record ${sampleIndex}`)
      }
      this.nextOffset = recordEnd
      this.nextRecord++
    }
    return bytesRead
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd)
    this.fd = -1
    this.file = undefined
  }

  private open(file: string): void {
    this.close()
    this.fd = fs.openSync(file, 'r')
    this.file = file
    this.fileBytes = fs.fstatSync(this.fd).size
    this.nextRecord = 0
    this.nextOffset = 0
  }

  private readRecordHeader(): number {
    const file = this.file as string
    const header = readExactly(this.fd, this.scratch, this.nextOffset, RECORD_HEADER_BYTES, file, `the header of record ${this.nextRecord}`)
    if (maskedCrc32c(header, 0, 8) !== header.readUInt32LE(8)) {
      throw new Error(`${file}: record ${this.nextRecord} at byte ${this.nextOffset} has a bad length CRC (corrupt TFRecord)`)
    }
    return Number(header.readBigUInt64LE(0))
  }
}

export function tfrecordFormat(dataset: DlioDataset): DatasetFormat {
  const {dim1, dim2} = planFileDimensions(dataset)
  const samples = dataset.num_samples_per_file
  const sizeFeature = nominalDimension(dataset)
  return {
    extension: 'tfrecord',
    plannedSizesMatchDlio: true,
    plannedFileSize: i => tfrecordFileSize(dim1[i], dim2[i], samples, sizeFeature),
    writeFile: (fd, i, scratch) => writeTfrecordFile(fd, dim1[i], dim2[i], samples, sizeFeature, scratch),
    createSampleReader: scratch => new TfrecordSampleReader(scratch),
  }
}

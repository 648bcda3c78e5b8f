import type {ObjectStore} from 'mlps/unstable'

import type {DlioDataset} from '../workload.js'
import type {DatasetFormat} from '../formats/dataset-format.js'
import {TruncatedFileError} from '../io/file-io.js'
import {maskedCrc32c} from '../formats/crc32c.js'
import {JPEG_MINIMUM_BYTES} from '../formats/jpeg.js'
import {NPY_HEADER_PROBE_BYTES, parseNpyHeader} from '../formats/npy-header.js'
import {type ParquetRead, type ParquetReadAnswer, ParquetReaderState, parquetSampleReads} from '../formats/parquet-sample-reads.js'
import {parquetColumns} from '../formats/parquet-columns.js'
import {RECORD_FOOTER_BYTES, RECORD_HEADER_BYTES} from '../formats/tfrecord.js'
import {END_OF_CENTRAL_DIRECTORY_BYTES, LOCAL_HEADER_FIXED_BYTES, memberDataOffset, parseCentralDirectory, parseEndOfCentralDirectory} from '../formats/zip-stored.js'

/** A format's sample reads against objects: the same requests a file reader makes, as GETs. */
export interface ObjectSampleReader {
  /** Reads one sample with DLIO's granularity for the format; returns the bytes read, as the file readers count them. */
  readSample(key: string, sampleIndex: number): Promise<number>
}

/** Room for a small zip directory (np.savez writes two entries) in the same GET as the end record. */
const ZIP_DIRECTORY_ALLOWANCE = 1024
/** Room for a local header's name and extra fields in the same GET as the NPY header. */
const LOCAL_NAME_ALLOWANCE = 64
/** Most parquet footers fit this, so one GET gets footer length and footer together. */
const PARQUET_FOOTER_ALLOWANCE = 64 << 10

function uri(store: ObjectStore, key: string): string {
  return `s3://${store.bucket}/${key}`
}

/** Exactly `length` bytes at `offset`, or a truncation error naming the object. */
async function getExactly(store: ObjectStore, key: string, offset: number, length: number, what: string): Promise<Buffer> {
  const body = await store.getObject(key, {offset, length})
  if (body.byteLength < length) throw new TruncatedFileError(uri(store, key), offset + length, offset + body.byteLength, what)
  return body
}

/** Reads (and drops) `length` bytes at `offset` through `scratch`; a short body is a truncated object. */
async function readSpan(store: ObjectStore, scratch: Buffer, key: string, offset: number, length: number, what: string): Promise<number> {
  const got = await store.getObjectInto(key, scratch, {offset, length})
  if (got < length) throw new TruncatedFileError(uri(store, key), offset + length, offset + got, what)
  return length
}

/**
 * npz as `np.load(f)['x']` reads it, per sample: the zip end record and directory (one GET of the
 * object's tail), the local header and NPY header (one ranged GET), then the whole `x` array.
 */
class NpzObjectReader implements ObjectSampleReader {
  constructor(private readonly store: ObjectStore, private readonly scratch: Buffer, private readonly plannedSize: (key: string) => number | undefined) {}

  async readSample(key: string): Promise<number> {
    const {store} = this
    const name = uri(store, key)
    const {body: tail, objectSize} = await store.getObjectTail(key, END_OF_CENTRAL_DIRECTORY_BYTES + ZIP_DIRECTORY_ALLOWANCE, this.plannedSize(key))
    if (objectSize < END_OF_CENTRAL_DIRECTORY_BYTES) throw new Error(`${name} is not an npz file: ${objectSize} bytes is smaller than a zip end record`)
    const tailStart = objectSize - tail.byteLength
    const location = parseEndOfCentralDirectory(tail.subarray(tail.byteLength - END_OF_CENTRAL_DIRECTORY_BYTES))
    const directory = location.offset >= tailStart
      ? tail.subarray(location.offset - tailStart, location.offset - tailStart + location.size)
      : await getExactly(store, key, location.offset, location.size, 'the zip central directory')
    const member = parseCentralDirectory(directory).find(entry => entry.name === 'x.npy')
    if (!member) throw new Error(`${name} has no x.npy member`)
    if (member.method !== 0) throw new Error(`${name}: x.npy is compressed (method ${member.method}); the native engine reads stored npz only`)
    const probeLength = Math.min(LOCAL_HEADER_FIXED_BYTES + LOCAL_NAME_ALLOWANCE + NPY_HEADER_PROBE_BYTES, objectSize - member.localHeaderOffset)
    const head = await getExactly(store, key, member.localHeaderOffset, probeLength, 'the x.npy local header')
    const dataOffset = memberDataOffset(head, member.localHeaderOffset)
    const probeStart = dataOffset - member.localHeaderOffset
    const header = parseNpyHeader(head.subarray(probeStart, probeStart + Math.min(NPY_HEADER_PROBE_BYTES, member.size)))
    return readSpan(store, this.scratch, key, dataOffset + header.headerBytes, header.dataBytes, 'the x array')
  }
}

/**
 * TFRecord walked as TensorFlow's record reader walks a file: each record's 12-byte header (a ranged
 * GET), its length CRC checked, then the wanted record's data and CRC (another); consecutive samples
 * of an object continue where the last one ended, a jump backwards starts over.
 */
class TfrecordObjectReader implements ObjectSampleReader {
  private key: string | undefined
  private nextRecord = 0
  private nextOffset = 0

  constructor(private readonly store: ObjectStore, private readonly scratch: Buffer) {}

  async readSample(key: string, sampleIndex: number): Promise<number> {
    if (key !== this.key || sampleIndex < this.nextRecord) {
      this.key = key
      this.nextRecord = 0
      this.nextOffset = 0
    }
    let bytesRead = 0
    while (this.nextRecord <= sampleIndex) {
      const header = await getExactly(this.store, key, this.nextOffset, RECORD_HEADER_BYTES, `the header of record ${this.nextRecord}`)
      if (maskedCrc32c(header, 0, 8) !== header.readUInt32LE(8)) {
        throw new Error(`${uri(this.store, key)}: record ${this.nextRecord} at byte ${this.nextOffset} has a bad length CRC (corrupt TFRecord)`)
      }
      bytesRead += RECORD_HEADER_BYTES
      const dataBytes = Number(header.readBigUInt64LE(0))
      if (this.nextRecord === sampleIndex) {
        bytesRead += await readSpan(this.store, this.scratch, key, this.nextOffset + RECORD_HEADER_BYTES, dataBytes + RECORD_FOOTER_BYTES, `record ${sampleIndex}`)
      }
      this.nextOffset += RECORD_HEADER_BYTES + dataBytes + RECORD_FOOTER_BYTES
      this.nextRecord++
    }
    return bytesRead
  }
}

/** Images as DLIO's image readers read them: the whole object, checked to start with SOI and end with EOI. */
class JpegObjectReader implements ObjectSampleReader {
  constructor(private readonly store: ObjectStore, private readonly scratch: Buffer) {}

  async readSample(key: string): Promise<number> {
    let first = -1
    let second = -1
    const tail = [-1, -1]
    const size = await this.store.getObjectInto(key, this.scratch, undefined, (chunk, position) => {
      if (position === 0) [first, second] = [chunk[0] ?? -1, chunk[1] ?? -1]
      for (const byte of chunk.subarray(-2)) [tail[0], tail[1]] = [tail[1], byte]
    })
    const name = uri(this.store, key)
    if (size < JPEG_MINIMUM_BYTES) throw new TruncatedFileError(name, JPEG_MINIMUM_BYTES, size, 'a JPEG')
    if (first !== 0xff || second !== 0xd8) throw new Error(`${name} is not a JPEG: it does not start with the SOI marker`)
    if (tail[0] !== 0xff || tail[1] !== 0xd9) throw new Error(`${name} looks truncated: it does not end with the JPEG EOI marker`)
    return size
  }
}

/**
 * Parquet as DLIO v3's ParquetReader reads it (formats/parquet-sample-reads.ts), from an object: the
 * tail asked for with room for most footers (one GET gets footer length and footer together), each
 * other read a ranged GET.
 */
class ParquetObjectReader implements ObjectSampleReader {
  private readonly state: ParquetReaderState

  constructor(private readonly store: ObjectStore, private readonly scratch: Buffer, columnsToRead: ReadonlySet<string> | undefined) {
    this.state = new ParquetReaderState(columnsToRead, PARQUET_FOOTER_ALLOWANCE)
  }

  async readSample(key: string, sampleIndex: number): Promise<number> {
    const reads = parquetSampleReads(this.state, uri(this.store, key), sampleIndex)
    for (let step = reads.next(); ; step = reads.next(await this.answer(key, step.value))) {
      if (step.done) return step.value
    }
  }

  private async answer(key: string, request: ParquetRead): Promise<ParquetReadAnswer> {
    switch (request.read) {
      case 'tail': {
        const {body, objectSize} = await this.store.getObjectTail(key, request.length)
        return {body, size: objectSize}
      }
      case 'bytes':
        return getExactly(this.store, key, request.offset, request.length, request.what)
      case 'span':
        return readSpan(this.store, this.scratch, key, request.offset, request.length, request.what)
    }
  }
}

const GENERATION_INDEX = /_(\d+)_of_(\d+)\.[^./]+$/

/**
 * The object reader of the dataset's format (formats/format-for-dataset.ts says which formats exist).
 * Where DLIO's files have the planned sizes, the planned size of an object (from the generation index
 * in its name) lets a tail be fetched with an explicit range, which every S3 server reads alike.
 */
export function objectSampleReader(dataset: DlioDataset, format: DatasetFormat, store: ObjectStore, scratch: Buffer): ObjectSampleReader {
  const plannedSize = (key: string): number | undefined => {
    const match = GENERATION_INDEX.exec(key)
    return format.plannedSizesMatchDlio && match && Number(match[2]) === dataset.num_files_train ? format.plannedFileSize(Number(match[1])) : undefined
  }
  switch (dataset.format) {
    case 'npz':
      return new NpzObjectReader(store, scratch, plannedSize)
    case 'tfrecord':
      return new TfrecordObjectReader(store, scratch)
    case 'jpeg':
      return new JpegObjectReader(store, scratch)
    case 'parquet': {
      const readColumns = dataset.parquet?.read_mode === 'row_group'
        ? new Set(parquetColumns(dataset, 1).filter(column => column.read).map(column => column.name))
        : undefined
      return new ParquetObjectReader(store, scratch, readColumns)
    }
    default:
      throw new Error(`format ${dataset.format} has no object reader`)
  }
}

import type {ObjectStore} from 'mlps/unstable'
import {type FileMetaData, parquetMetadata} from 'hyparquet'

import type {DlioDataset} from '../workload.js'
import {TruncatedFileError} from '../io/file-io.js'
import {maskedCrc32c} from '../formats/crc32c.js'
import {JPEG_MINIMUM_BYTES} from '../formats/jpeg.js'
import {NPY_HEADER_PROBE_BYTES, parseNpyHeader} from '../formats/npy-header.js'
import {FOOTER_TAIL_BYTES, MAGIC, type OpenParquetFile} from '../formats/parquet.js'
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
  constructor(private readonly store: ObjectStore, private readonly scratch: Buffer) {}

  async readSample(key: string): Promise<number> {
    const {store} = this
    const name = uri(store, key)
    const {body: tail, objectSize} = await store.getObjectTail(key, END_OF_CENTRAL_DIRECTORY_BYTES + ZIP_DIRECTORY_ALLOWANCE)
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
 * Parquet as DLIO v3's ParquetReader reads it: the footer once per object (one GET of the tail, a
 * second only for a footer larger than the allowance), then the row group that holds the sample,
 * column chunk by column chunk as ranged GETs, unless it is among the last four read.
 */
class ParquetObjectReader implements ObjectSampleReader {
  private static readonly ROW_GROUP_CACHE = 4
  private static readonly FOOTER_CACHE = 64
  private readonly footers = new Map<string, OpenParquetFile & {size: number}>()
  private readonly cachedGroups: string[] = []

  constructor(private readonly store: ObjectStore, private readonly scratch: Buffer, private readonly columnsToRead: ReadonlySet<string> | undefined) {}

  async readSample(key: string, sampleIndex: number): Promise<number> {
    let footerBytes = 0
    let open = this.footers.get(key)
    if (!open) {
      const footer = await this.readFooter(key)
      footerBytes = footer.bytes
      open = footer.open
      this.footers.set(key, open)
      if (this.footers.size > ParquetObjectReader.FOOTER_CACHE) this.footers.delete(this.footers.keys().next().value as string)
    }
    const group = rowGroupOf(open, sampleIndex, uri(this.store, key))
    const cacheKey = `${group}\0${key}`
    const cached = this.cachedGroups.indexOf(cacheKey)
    if (cached >= 0) {
      this.cachedGroups.splice(cached, 1)
      this.cachedGroups.push(cacheKey)
      return footerBytes
    }
    this.cachedGroups.push(cacheKey)
    if (this.cachedGroups.length > ParquetObjectReader.ROW_GROUP_CACHE) this.cachedGroups.shift()
    return footerBytes + await this.readRowGroup(key, open.size, open.metadata, group)
  }

  private async readFooter(key: string): Promise<{open: OpenParquetFile & {size: number}; bytes: number}> {
    const name = uri(this.store, key)
    const {body: tail, objectSize} = await this.store.getObjectTail(key, PARQUET_FOOTER_ALLOWANCE)
    if (objectSize < FOOTER_TAIL_BYTES + 4) throw new TruncatedFileError(name, FOOTER_TAIL_BYTES + 4, objectSize, 'a parquet file')
    if (tail.toString('latin1', tail.byteLength - 4) !== MAGIC) throw new Error(`${name} looks truncated: it does not end with the parquet magic "PAR1" (no footer)`)
    const footerLength = tail.readUInt32LE(tail.byteLength - FOOTER_TAIL_BYTES) + FOOTER_TAIL_BYTES
    if (footerLength > objectSize) throw new TruncatedFileError(name, footerLength, objectSize, 'the parquet footer')
    const footer = footerLength <= tail.byteLength
      ? Buffer.from(tail.subarray(tail.byteLength - footerLength))
      : await getExactly(this.store, key, objectSize - footerLength, footerLength, 'the parquet footer')
    const metadata = parquetMetadata(footer.buffer.slice(footer.byteOffset, footer.byteOffset + footer.byteLength) as ArrayBuffer)
    const rowGroupStarts: number[] = []
    let rows = 0
    for (const rowGroup of metadata.row_groups) {
      rowGroupStarts.push(rows)
      rows += Number(rowGroup.num_rows)
    }
    // counted as the file reader counts its two footer reads
    return {open: {metadata, rowGroupStarts, size: objectSize}, bytes: FOOTER_TAIL_BYTES + footerLength}
  }

  private async readRowGroup(key: string, size: number, metadata: FileMetaData, group: number): Promise<number> {
    let bytes = 0
    for (const chunk of metadata.row_groups[group].columns) {
      const meta = chunk.meta_data
      if (!meta) continue
      if (this.columnsToRead && !this.columnsToRead.has(meta.path_in_schema[0])) continue
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
      const length = Number(meta.total_compressed_size)
      if (start + length > size) throw new TruncatedFileError(uri(this.store, key), start + length, size, `row group ${group}`)
      bytes += await readSpan(this.store, this.scratch, key, start, length, `row group ${group}`)
    }
    return bytes
  }
}

function rowGroupOf(open: OpenParquetFile, sampleIndex: number, name: string): number {
  const starts = open.rowGroupStarts
  if (starts.length === 0 || sampleIndex >= Number(open.metadata.num_rows)) throw new Error(`${name} has ${open.metadata.num_rows} rows; sample ${sampleIndex} is past its end`)
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (starts[middle] <= sampleIndex) low = middle
    else high = middle - 1
  }
  return low
}

/** The object reader of the dataset's format (formats/format-for-dataset.ts says which formats exist). */
export function objectSampleReader(dataset: DlioDataset, store: ObjectStore, scratch: Buffer): ObjectSampleReader {
  switch (dataset.format) {
    case 'npz':
      return new NpzObjectReader(store, scratch)
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

import {type FileMetaData, parquetMetadata} from 'hyparquet'

import {TruncatedFileError} from '../io/file-io.js'

export const FOOTER_TAIL_BYTES = 8
export const MAGIC = 'PAR1'

/**
 * What reading a parquet sample asks of its byte source (a file, an object), one request at a time:
 * the last `length` bytes and the size (`tail`), exactly `length` bytes at `offset` (`bytes`), or
 * `length` bytes at `offset` read and dropped (`span`, answered with the bytes read).
 */
export type ParquetRead =
  | {read: 'tail'; length: number}
  | {read: 'bytes'; offset: number; length: number; what: string}
  | {read: 'span'; offset: number; length: number; what: string}

export type ParquetReadAnswer = {body: Buffer; size: number} | Buffer | number

interface OpenParquetFile {
  readonly metadata: FileMetaData
  readonly rowGroupStarts: number[]
  readonly size: number
}

/**
 * One reader's state, as DLIO v3's ParquetReader keeps it: footers cached per file, and its last
 * four row groups (an LRU), so a sample costs a read of its row group only when that group is not
 * among them. In `read_mode: row_group` only the columns marked `read: true` are fetched.
 */
export class ParquetReaderState {
  private static readonly ROW_GROUP_CACHE = 4
  private static readonly FOOTER_CACHE = 64
  private readonly footers = new Map<string, OpenParquetFile>()
  private readonly cachedGroups: string[] = []

  /** `tailLength`: how much of the end a first request asks for (a larger tail saves a second request for the footer) */
  constructor(readonly columnsToRead: ReadonlySet<string> | undefined, readonly tailLength = FOOTER_TAIL_BYTES) {}

  footer(name: string): OpenParquetFile | undefined {
    return this.footers.get(name)
  }

  keepFooter(name: string, open: OpenParquetFile): void {
    this.footers.set(name, open)
    if (this.footers.size > ParquetReaderState.FOOTER_CACHE) this.footers.delete(this.footers.keys().next().value as string)
  }

  /** Whether the group is among the last ones read; either way it is now the most recent. */
  groupCached(name: string, group: number): boolean {
    const key = `${group}\0${name}`
    const at = this.cachedGroups.indexOf(key)
    if (at >= 0) this.cachedGroups.splice(at, 1)
    this.cachedGroups.push(key)
    if (this.cachedGroups.length > ParquetReaderState.ROW_GROUP_CACHE) this.cachedGroups.shift()
    return at >= 0
  }

  clear(): void {
    this.footers.clear()
    this.cachedGroups.length = 0
  }
}

/**
 * One sample of a parquet file read as DLIO v3 reads it: the footer once per file (its length and
 * magic from the tail, then the footer itself), then the row group that holds the sample, column
 * chunk by column chunk, unless it is cached. The byte source answers each request; returns the
 * bytes read as DLIO counts them (the footer's two reads, then the column chunks).
 */
export function* parquetSampleReads(state: ParquetReaderState, name: string, sampleIndex: number): Generator<ParquetRead, number, ParquetReadAnswer> {
  let footerBytes = 0
  let open = state.footer(name)
  if (!open) {
    const {body: tail, size} = (yield {read: 'tail', length: state.tailLength}) as {body: Buffer; size: number}
    if (size < FOOTER_TAIL_BYTES + 4) throw new TruncatedFileError(name, FOOTER_TAIL_BYTES + 4, size, 'a parquet file')
    if (tail.toString('latin1', tail.byteLength - 4) !== MAGIC) throw new Error(`${name} looks truncated: it does not end with the parquet magic "PAR1" (no footer)`)
    const footerLength = tail.readUInt32LE(tail.byteLength - FOOTER_TAIL_BYTES) + FOOTER_TAIL_BYTES
    if (footerLength > size) throw new TruncatedFileError(name, footerLength, size, 'the parquet footer')
    const footer = footerLength <= tail.byteLength
      ? Buffer.from(tail.subarray(tail.byteLength - footerLength))
      : (yield {read: 'bytes', offset: size - footerLength, length: footerLength, what: 'the parquet footer'}) as Buffer
    const metadata = parquetMetadata(footer.buffer.slice(footer.byteOffset, footer.byteOffset + footerLength) as ArrayBuffer)
    const rowGroupStarts: number[] = []
    let rows = 0
    for (const rowGroup of metadata.row_groups) {
      rowGroupStarts.push(rows)
      rows += Number(rowGroup.num_rows)
    }
    open = {metadata, rowGroupStarts, size}
    state.keepFooter(name, open)
    footerBytes = FOOTER_TAIL_BYTES + footerLength
  }
  const group = rowGroupOf(open, sampleIndex, name)
  if (state.groupCached(name, group)) return footerBytes
  let bytes = footerBytes
  for (const chunk of open.metadata.row_groups[group].columns) {
    const meta = chunk.meta_data
    if (!meta) continue
    if (state.columnsToRead && !state.columnsToRead.has(meta.path_in_schema[0])) continue
    const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
    const length = Number(meta.total_compressed_size)
    if (start + length > open.size) throw new TruncatedFileError(name, start + length, open.size, `row group ${group}`)
    bytes += (yield {read: 'span', offset: start, length, what: `row group ${group}`}) as number
  }
  return bytes
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

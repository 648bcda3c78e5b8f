import fs from 'node:fs'
import {type FileMetaData, parquetMetadata} from 'hyparquet'
import {ByteWriter, ParquetWriter} from 'hyparquet-writer'

import type {DlioDataset, ParquetColumn} from '../workload.js'
import {TruncatedFileError, readExactly, readRange, writeAll} from '../io/file-io.js'
import type {DatasetFormat, SampleReader} from './dataset-format.js'
import {DEFAULT_ROW_GROUP_SIZE, parquetColumns, parquetSchema} from './parquet-columns.js'
import {RowGroupData} from './parquet-row-group-data.js'
import {planFileDimensions} from './sample-dimensions.js'

const FLUSH_BYTES = 1 << 20
export const FOOTER_TAIL_BYTES = 8
export const MAGIC = 'PAR1'

/** hyparquet-writer's in-memory writer, drained to `sink` once it holds a MiB and at the end. */
class DrainingWriter extends ByteWriter {
  constructor(private readonly sink: (bytes: Uint8Array) => void) {
    super(FLUSH_BYTES * 2)
  }

  override ensure(size: number): void {
    if (this.index > FLUSH_BYTES) this.drain()
    super.ensure(size)
  }

  override finish(): void {
    this.drain()
  }

  private drain(): void {
    this.sink(new Uint8Array(this.buffer, 0, this.index))
    this.index = 0
  }
}

export interface ParquetFileShape {
  readonly columns: readonly ParquetColumn[]
  readonly rows: number
  readonly rowGroupSize: number
}

/**
 * Writes one parquet file row group by row group (bounded memory, like DLIO's
 * batched pyarrow writes): no compression (`compression: none`), PLAIN
 * encoding and no statistics, so the size depends only on the shape.
 */
function encodeParquet(shape: ParquetFileShape, random: boolean, sink: (bytes: Uint8Array) => void): void {
  const writer = new DrainingWriter(sink)
  const parquet = new ParquetWriter({writer, schema: parquetSchema(shape.columns), codec: 'UNCOMPRESSED', statistics: false})
  const data = new RowGroupData(shape.columns, Math.min(shape.rowGroupSize, shape.rows), random)
  for (let start = 0; start < shape.rows; start += shape.rowGroupSize) {
    const rows = Math.min(shape.rowGroupSize, shape.rows - start)
    synchronously(parquet.write({
      columnData: shape.columns.map(column => ({name: column.name, data: data.values(column, rows), encoding: 'PLAIN' as const})),
      rowGroupSize: rows,
    }))
  }
  synchronously(parquet.finish())
}

/**
 * hyparquet-writer returns a promise only when its writer's `flush()` or
 * `finish()` does; DrainingWriter's never do. A promise here would mean bytes
 * still to come after the caller closes the file.
 */
function synchronously(result: void | Promise<void>): void {
  if (result) throw new Error('hyparquet-writer deferred a write to a synchronous writer')
}

export function writeParquetFile(fd: number, shape: ParquetFileShape): void {
  encodeParquet(shape, true, bytes => writeAll(fd, bytes))
}

const measuredSizes = new Map<string, number>()

/** The exact size `writeParquetFile` produces for a shape, measured once per shape by encoding zeros. */
export function parquetFileSize(shape: ParquetFileShape): number {
  const key = JSON.stringify(shape)
  let size = measuredSizes.get(key)
  if (size === undefined) {
    let total = 0
    encodeParquet(shape, false, bytes => {
      total += bytes.length
    })
    size = total
    measuredSizes.set(key, size)
  }
  return size
}

export interface OpenParquetFile {
  readonly metadata: FileMetaData
  readonly rowGroupStarts: number[]
}

/**
 * Row-group-granular reads like DLIO v3's ParquetReader: a sample costs a
 * read of the row group that holds it unless that group is among the reader's
 * last four (its LRU row-group cache); footers are cached per file. In
 * `read_mode: row_group` only the columns marked `read: true` are fetched;
 * otherwise every column.
 */
export class ParquetSampleReader implements SampleReader {
  private static readonly ROW_GROUP_CACHE = 4
  private static readonly FOOTER_CACHE = 64
  private readonly footers = new Map<string, OpenParquetFile>()
  private readonly cachedGroups: string[] = []
  private current: {file: string; fd: number; size: number} | undefined

  constructor(private readonly scratch: Buffer, private readonly columnsToRead: ReadonlySet<string> | undefined) {}

  readSample(file: string, sampleIndex: number): number {
    const {fd, size} = this.openFile(file)
    let footerBytes = 0
    let open = this.footers.get(file)
    if (!open) {
      const footer = this.readFooter(fd, file, size)
      footerBytes = footer.bytes
      open = footer.open
      this.footers.set(file, open)
      if (this.footers.size > ParquetSampleReader.FOOTER_CACHE) this.footers.delete(this.footers.keys().next().value as string)
    }
    const group = this.rowGroupOf(open, sampleIndex, file)
    const key = `${group}\0${file}`
    const cached = this.cachedGroups.indexOf(key)
    if (cached >= 0) {
      this.cachedGroups.splice(cached, 1)
      this.cachedGroups.push(key)
      return footerBytes
    }
    this.cachedGroups.push(key)
    if (this.cachedGroups.length > ParquetSampleReader.ROW_GROUP_CACHE) this.cachedGroups.shift()
    return footerBytes + this.readRowGroup(fd, file, size, open.metadata, group)
  }

  close(): void {
    if (this.current) fs.closeSync(this.current.fd)
    this.current = undefined
    this.footers.clear()
    this.cachedGroups.length = 0
  }

  /** DLIO keeps the last file open across samples (its one-slot file cache). */
  private openFile(file: string): {fd: number; size: number} {
    if (this.current?.file === file) return this.current
    if (this.current) fs.closeSync(this.current.fd)
    const fd = fs.openSync(file, 'r')
    this.current = {file, fd, size: fs.fstatSync(fd).size}
    return this.current
  }

  private readFooter(fd: number, file: string, size: number): {open: OpenParquetFile; bytes: number} {
    if (size < FOOTER_TAIL_BYTES + 4) throw new TruncatedFileError(file, FOOTER_TAIL_BYTES + 4, size, 'a parquet file')
    const tail = readExactly(fd, this.scratch, size - FOOTER_TAIL_BYTES, FOOTER_TAIL_BYTES, file, 'the parquet footer length')
    if (tail.toString('latin1', 4, 8) !== MAGIC) {
      throw new Error(`${file} looks truncated: it does not end with the parquet magic "PAR1" (no footer)`)
    }
    const metadataLength = tail.readUInt32LE(0)
    const footerLength = metadataLength + FOOTER_TAIL_BYTES
    if (footerLength > size) throw new TruncatedFileError(file, footerLength, size, 'the parquet footer')
    const footer = Buffer.alloc(footerLength)
    readExactly(fd, footer, size - footerLength, footerLength, file, 'the parquet footer')
    const metadata = parquetMetadata(footer.buffer.slice(footer.byteOffset, footer.byteOffset + footer.length))
    const rowGroupStarts: number[] = []
    let rows = 0
    for (const rowGroup of metadata.row_groups) {
      rowGroupStarts.push(rows)
      rows += Number(rowGroup.num_rows)
    }
    return {open: {metadata, rowGroupStarts}, bytes: FOOTER_TAIL_BYTES + footerLength}
  }

  private rowGroupOf(open: OpenParquetFile, sampleIndex: number, file: string): number {
    const starts = open.rowGroupStarts
    if (starts.length === 0 || sampleIndex >= Number(open.metadata.num_rows)) {
      throw new Error(`${file} has ${open.metadata.num_rows} rows; sample ${sampleIndex} is past its end`)
    }
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle] <= sampleIndex) low = middle
      else high = middle - 1
    }
    return low
  }

  private readRowGroup(fd: number, file: string, size: number, metadata: FileMetaData, group: number): number {
    let bytes = 0
    for (const chunk of metadata.row_groups[group].columns) {
      const meta = chunk.meta_data
      if (!meta) continue
      if (this.columnsToRead && !this.columnsToRead.has(meta.path_in_schema[0])) continue
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset)
      const length = Number(meta.total_compressed_size)
      if (start + length > size) throw new TruncatedFileError(file, start + length, size, `row group ${group}`)
      bytes += readRange(fd, this.scratch, start, length, file, `row group ${group}`)
    }
    return bytes
  }
}

export function parquetFormat(dataset: DlioDataset): DatasetFormat {
  const compression = dataset.compression ?? 'none'
  if (compression !== 'none') {
    throw new Error(`parquet compression "${compression}" is not emulated by the native engine yet (only compression: none)`)
  }
  const {dim1, dim2} = planFileDimensions(dataset)
  const rowGroupSize = dataset.parquet?.row_group_size ?? DEFAULT_ROW_GROUP_SIZE
  const shapeOf = (i: number): ParquetFileShape => ({
    columns: parquetColumns(dataset, dim1[i] * dim2[i]),
    rows: dataset.num_samples_per_file,
    rowGroupSize,
  })
  const readColumns = dataset.parquet?.read_mode === 'row_group'
    ? new Set(parquetColumns(dataset, 1).filter(column => column.read).map(column => column.name))
    : undefined
  return {
    extension: 'parquet',
    plannedSizesMatchDlio: false,
    plannedFileSize: i => parquetFileSize(shapeOf(i)),
    writeFile: (fd, i) => writeParquetFile(fd, shapeOf(i)),
    createSampleReader: scratch => new ParquetSampleReader(scratch, readColumns),
  }
}

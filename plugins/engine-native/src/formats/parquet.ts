import fs from 'node:fs'
import {ByteWriter, ParquetWriter} from 'hyparquet-writer'

import type {DlioDataset, ParquetColumn} from '../workload.js'
import {readExactly, readRange, writeAll} from '../io/file-io.js'
import type {DatasetFormat, SampleReader} from './dataset-format.js'
import {DEFAULT_ROW_GROUP_SIZE, parquetColumns, parquetSchema} from './parquet-columns.js'
import {RowGroupData} from './parquet-row-group-data.js'
import {type ParquetRead, type ParquetReadAnswer, ParquetReaderState, parquetSampleReads} from './parquet-sample-reads.js'
import {planFileDimensions} from './sample-dimensions.js'

const FLUSH_BYTES = 1 << 20

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

/**
 * Row-group-granular reads like DLIO v3's ParquetReader (parquet-sample-reads.ts), from a file: the
 * reads are answered with synchronous I/O, and the last file is kept open across samples, as DLIO's
 * one-slot file cache keeps it.
 */
export class ParquetSampleReader implements SampleReader {
  private readonly state: ParquetReaderState
  private current: {file: string; fd: number; size: number} | undefined

  constructor(private readonly scratch: Buffer, columnsToRead: ReadonlySet<string> | undefined) {
    this.state = new ParquetReaderState(columnsToRead)
  }

  readSample(file: string, sampleIndex: number): number {
    const {fd, size} = this.openFile(file)
    const reads = parquetSampleReads(this.state, file, sampleIndex)
    for (let step = reads.next(); ; step = reads.next(this.answer(fd, size, file, step.value))) {
      if (step.done) return step.value
    }
  }

  close(): void {
    if (this.current) fs.closeSync(this.current.fd)
    this.current = undefined
    this.state.clear()
  }

  private answer(fd: number, size: number, file: string, request: ParquetRead): ParquetReadAnswer {
    switch (request.read) {
      case 'tail': {
        const length = Math.min(request.length, size)
        return {body: Buffer.from(readExactly(fd, this.scratch, size - length, length, file, 'the parquet footer length')), size}
      }
      case 'bytes':
        return readExactly(fd, Buffer.alloc(request.length), request.offset, request.length, file, request.what)
      case 'span':
        return readRange(fd, this.scratch, request.offset, request.length, file, request.what)
    }
  }

  private openFile(file: string): {fd: number; size: number} {
    if (this.current?.file === file) return this.current
    if (this.current) fs.closeSync(this.current.fd)
    const fd = fs.openSync(file, 'r')
    this.current = {file, fd, size: fs.fstatSync(fd).size}
    return this.current
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

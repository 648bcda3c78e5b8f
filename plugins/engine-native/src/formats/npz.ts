import fs from 'node:fs'
import zlib from 'node:zlib'

import type {DlioDataset} from '../workload.js'
import {TruncatedFileError, readExactly, readRange, writeAll, writeRandom} from '../io/file-io.js'
import {DIRECT_IO_ALIGNMENT, alignDown} from '../io/aligned-buffer.js'
import type {DatasetFormat, SampleReader} from './dataset-format.js'
import {NPY_HEADER_PROBE_BYTES, npyDataBytes, npyHeader, parseNpyHeader} from './npy-header.js'
import {planFileDimensions} from './sample-dimensions.js'
import {
  END_OF_CENTRAL_DIRECTORY_BYTES,
  LOCAL_HEADER_CRC_OFFSET,
  LOCAL_HEADER_FIXED_BYTES,
  type StoredMember,
  centralDirectory,
  centralEntryBytes,
  localHeader,
  localHeaderBytes,
  memberDataOffset,
  parseCentralDirectory,
  parseEndOfCentralDirectory,
} from './zip-stored.js'

const SAMPLES_MEMBER = 'x.npy'
const LABELS_MEMBER = 'y.npy'

/** `np.savez(path, x=uint8[d1, d2, samples], y=[0] * samples)` — DLIO's NPZ generator (engines.md §1.5). */
export function npzShapes(dim1: number, dim2: number, samples: number) {
  return {samples: [dim1, dim2, samples], labels: [samples]}
}

export function npzFileSize(dim1: number, dim2: number, samples: number): number {
  const shapes = npzShapes(dim1, dim2, samples)
  const member = (name: string, bytes: number, header: Buffer) =>
    localHeaderBytes(name) + header.length + bytes + centralEntryBytes(name)
  return (
    member(SAMPLES_MEMBER, npyDataBytes('|u1', shapes.samples), npyHeader('|u1', shapes.samples)) +
    member(LABELS_MEMBER, npyDataBytes('<i8', shapes.labels), npyHeader('<i8', shapes.labels)) +
    END_OF_CENTRAL_DIRECTORY_BYTES
  )
}

function writeMember(fd: number, name: string, offset: number, npy: Buffer, dataBytes: number, writeData: (observe: (chunk: Buffer) => void) => void): StoredMember {
  const size = npy.length + dataBytes
  writeAll(fd, localHeader(name, size))
  let crc = zlib.crc32(npy)
  writeAll(fd, npy)
  writeData(chunk => {
    crc = zlib.crc32(chunk, crc)
  })
  const crcField = Buffer.alloc(4)
  crcField.writeUInt32LE(crc >>> 0)
  fs.writeSync(fd, crcField, 0, 4, offset + LOCAL_HEADER_CRC_OFFSET)
  return {name, size, crc32: crc, localHeaderOffset: offset}
}

export function writeNpzFile(fd: number, dim1: number, dim2: number, samples: number, scratch: Buffer): void {
  const shapes = npzShapes(dim1, dim2, samples)
  const samplesNpy = npyHeader('|u1', shapes.samples)
  const samplesBytes = npyDataBytes('|u1', shapes.samples)
  const x = writeMember(fd, SAMPLES_MEMBER, 0, samplesNpy, samplesBytes, observe => writeRandom(fd, scratch, samplesBytes, observe))
  const labelsOffset = x.localHeaderOffset + localHeaderBytes(SAMPLES_MEMBER) + x.size
  const labels = Buffer.alloc(npyDataBytes('<i8', shapes.labels))
  const y = writeMember(fd, LABELS_MEMBER, labelsOffset, npyHeader('<i8', shapes.labels), labels.length, observe => {
    observe(labels)
    writeAll(fd, labels)
  })
  writeAll(fd, centralDirectory([x, y], labelsOffset + localHeaderBytes(LABELS_MEMBER) + y.size))
}

export interface ArrayExtent {
  readonly offset: number
  readonly length: number
}

/** Finds the byte range of the `x` array through the zip directory and NPY header, as `np.load(f)['x']` does. */
export function locateSamplesArray(fd: number, file: string, scratch: Buffer): ArrayExtent {
  const {size} = fs.fstatSync(fd)
  if (size < END_OF_CENTRAL_DIRECTORY_BYTES) {
    throw new Error(`${file} is not an npz file: ${size} bytes is smaller than a zip end record`)
  }
  const end = readExactly(fd, scratch, size - END_OF_CENTRAL_DIRECTORY_BYTES, END_OF_CENTRAL_DIRECTORY_BYTES, file, 'the zip end record')
  const directoryLocation = parseEndOfCentralDirectory(Buffer.from(end))
  const directory = Buffer.from(readExactly(fd, scratch, directoryLocation.offset, directoryLocation.size, file, 'the zip central directory'))
  const member = parseCentralDirectory(directory).find(entry => entry.name === SAMPLES_MEMBER)
  if (!member) throw new Error(`${file} has no ${SAMPLES_MEMBER} member`)
  if (member.method !== 0) throw new Error(`${file}: ${SAMPLES_MEMBER} is compressed (method ${member.method}); the native engine reads stored npz only`)
  const fixed = readExactly(fd, scratch, member.localHeaderOffset, LOCAL_HEADER_FIXED_BYTES, file, 'the x.npy local header')
  const dataOffset = memberDataOffset(Buffer.from(fixed), member.localHeaderOffset)
  const probe = readExactly(fd, scratch, dataOffset, Math.min(NPY_HEADER_PROBE_BYTES, member.size), file, 'the x.npy header')
  const header = parseNpyHeader(probe)
  return {offset: dataOffset + header.headerBytes, length: header.dataBytes}
}

/**
 * DLIO's NPZ reader opens the file for every sample (`read_type: on_demand`)
 * and `np.load(f)['x']` reads the whole array before slicing the sample out,
 * so each sample costs the directory reads plus the full `x` member.
 */
export class NpzSampleReader implements SampleReader {
  constructor(private readonly scratch: Buffer) {}

  readSample(file: string): number {
    const fd = fs.openSync(file, 'r')
    try {
      const extent = locateSamplesArray(fd, file, this.scratch)
      return readRange(fd, this.scratch, extent.offset, extent.length, file, 'the x array')
    } finally {
      fs.closeSync(fd)
    }
  }

  close(): void {}
}

/** The last read of a direct reader spans at least this much of the file's end, so the zip directory arrives in one buffer. */
const DIRECT_TAIL_BYTES = 64 * 1024

/**
 * DLIO's O_DIRECT npz reader (`reader.odirect`, unet3d only) reads the whole
 * file into an aligned buffer, past the page cache, then `np.load`s it from
 * memory. So do we, in aligned requests through the reused page-aligned
 * `scratch`; the structure is checked from the first bytes (kept aside, 4 KiB)
 * and from the last request, which always spans the file's last 64 KiB.
 */
export class NpzDirectSampleReader implements SampleReader {
  private readonly head = Buffer.alloc(NPY_HEADER_PROBE_BYTES)

  constructor(private readonly scratch: Buffer) {
    if (scratch.length < 2 * DIRECT_TAIL_BYTES || scratch.length % DIRECT_IO_ALIGNMENT !== 0) {
      throw new RangeError(`an O_DIRECT reader needs a scratch buffer of a multiple of ${DIRECT_IO_ALIGNMENT} bytes, at least ${2 * DIRECT_TAIL_BYTES}`)
    }
  }

  readSample(file: string): number {
    const fd = openDirect(file)
    try {
      const {size} = fs.fstatSync(fd)
      if (size < END_OF_CENTRAL_DIRECTORY_BYTES) {
        throw new Error(`${file} is not an npz file: ${size} bytes is smaller than a zip end record`)
      }
      const tailStart = alignDown(Math.max(0, size - DIRECT_TAIL_BYTES))
      let position = 0
      let headBytes = 0
      let got = 0
      while (position < size) {
        const want = position < tailStart ? Math.min(this.scratch.length, tailStart - position) : this.scratch.length
        got = fs.readSync(fd, this.scratch, 0, want, position)
        if (got === 0) throw new TruncatedFileError(file, size, position, 'the npz file')
        if (position === 0) headBytes = this.scratch.copy(this.head, 0, 0, Math.min(got, this.head.length))
        position += got
        if (position < size && got % DIRECT_IO_ALIGNMENT !== 0) {
          throw new Error(`${file}: an O_DIRECT read returned ${got} bytes before the end of the file, which leaves the next read unaligned; read it without reader.odirect`)
        }
      }
      this.checkStructure(file, size, this.scratch.subarray(0, got), position - got, headBytes)
      return size
    } finally {
      fs.closeSync(fd)
    }
  }

  close(): void {}

  /** As `np.load(BytesIO(data))['x']` would find it: the end record, the directory, x.npy's local and NPY headers. */
  private checkStructure(file: string, size: number, tail: Buffer, tailStart: number, headBytes: number): void {
    const directoryLocation = parseEndOfCentralDirectory(tail.subarray(size - END_OF_CENTRAL_DIRECTORY_BYTES - tailStart))
    if (directoryLocation.offset < tailStart || directoryLocation.offset + directoryLocation.size > size) {
      throw new Error(`${file}: its zip directory is not within the last ${DIRECT_TAIL_BYTES} bytes, as np.savez writes it; read it without reader.odirect`)
    }
    const directory = tail.subarray(directoryLocation.offset - tailStart, directoryLocation.offset - tailStart + directoryLocation.size)
    const member = parseCentralDirectory(directory).find(entry => entry.name === SAMPLES_MEMBER)
    if (!member) throw new Error(`${file} has no ${SAMPLES_MEMBER} member`)
    if (member.method !== 0) throw new Error(`${file}: ${SAMPLES_MEMBER} is compressed (method ${member.method}); the native engine reads stored npz only`)
    if (member.localHeaderOffset + LOCAL_HEADER_FIXED_BYTES > headBytes) {
      throw new Error(`${file}: ${SAMPLES_MEMBER} is not at the start of the file, as np.savez writes it; read it without reader.odirect`)
    }
    const dataOffset = memberDataOffset(this.head.subarray(member.localHeaderOffset), member.localHeaderOffset)
    const header = parseNpyHeader(this.head.subarray(Math.min(dataOffset, headBytes), headBytes))
    const end = dataOffset + header.headerBytes + header.dataBytes
    if (end > size) throw new TruncatedFileError(file, end, size, 'the x array')
  }
}

function openDirect(file: string): number {
  try {
    return fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_DIRECT)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EINVAL') {
      throw new Error(`${file}: its filesystem refuses O_DIRECT (EINVAL); set reader.odirect to false for this data folder`, {cause: error})
    }
    throw error
  }
}

export function npzFormat(dataset: DlioDataset): DatasetFormat {
  const {dim1, dim2} = planFileDimensions(dataset)
  const samples = dataset.num_samples_per_file
  return {
    extension: 'npz',
    plannedSizesMatchDlio: true,
    plannedFileSize: i => npzFileSize(dim1[i], dim2[i], samples),
    writeFile: (fd, i, scratch) => writeNpzFile(fd, dim1[i], dim2[i], samples, scratch),
    createSampleReader: (scratch, options) => (options?.direct ? new NpzDirectSampleReader(scratch) : new NpzSampleReader(scratch)),
  }
}

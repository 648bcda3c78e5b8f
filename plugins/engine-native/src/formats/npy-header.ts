/**
 * NPY format 1.0 headers as `numpy.lib.format.write_array` writes them:
 * magic `\x93NUMPY`, version 1.0, u16 LE header length, then a Python dict
 * literal padded with spaces so data starts on a 64-byte boundary. numpy also
 * reserves room for the first axis to grow to 21 digits, which fixes the
 * header length for every realistic shape (and so the file sizes DLIO gets).
 */
const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])
const PREAMBLE_BYTES = MAGIC.length + 2 + 2
const ARRAY_ALIGN = 64
const GROWTH_AXIS_MAX_DIGITS = 21

export type NpyDescr = '|u1' | '<i8'

const ITEM_BYTES: Record<NpyDescr, number> = {'|u1': 1, '<i8': 8}

function pythonTupleLiteral(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`
}

export function npyHeader(descr: NpyDescr, shape: readonly number[]): Buffer {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pythonTupleLiteral(shape)}, }`
  dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length))
  const unpadded = dict.length + 1
  const padding = ARRAY_ALIGN - ((PREAMBLE_BYTES + unpadded) % ARRAY_ALIGN)
  const text = dict + ' '.repeat(padding) + '\n'
  const header = Buffer.alloc(PREAMBLE_BYTES + text.length)
  MAGIC.copy(header, 0)
  header[6] = 1
  header[7] = 0
  header.writeUInt16LE(text.length, 8)
  header.write(text, PREAMBLE_BYTES, 'latin1')
  return header
}

export function npyDataBytes(descr: NpyDescr, shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, ITEM_BYTES[descr])
}

export interface ParsedNpyHeader {
  readonly headerBytes: number
  readonly descr: string
  readonly shape: number[]
  readonly dataBytes: number
}

/** Reads the preamble and dict of an NPY member (versions 1.x and 2.x). */
export function parseNpyHeader(bytes: Uint8Array): ParsedNpyHeader {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.length < PREAMBLE_BYTES || !buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new Error('not an NPY array: the magic string \\x93NUMPY is missing')
  }
  const major = buffer[6]
  const lengthBytes = major === 1 ? 2 : 4
  const dictLength = major === 1 ? buffer.readUInt16LE(8) : buffer.readUInt32LE(8)
  const dictStart = 8 + lengthBytes
  if (buffer.length < dictStart + dictLength) throw new Error('NPY header is cut short')
  const dict = buffer.toString('latin1', dictStart, dictStart + dictLength)
  const descr = /'descr':\s*'([^']+)'/.exec(dict)?.[1]
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(dict)?.[1]
  if (descr === undefined || shapeText === undefined) throw new Error(`NPY header has no descr/shape: ${dict.trim()}`)
  const shape = shapeText.split(',').map(s => s.trim()).filter(Boolean).map(Number)
  const itemBytes = Number(/\d+$/.exec(descr)?.[0] ?? Number.NaN)
  if (!Number.isFinite(itemBytes)) throw new Error(`NPY dtype ${descr} has no item size`)
  return {
    headerBytes: dictStart + dictLength,
    descr,
    shape,
    dataBytes: shape.reduce((product, extent) => product * extent, itemBytes),
  }
}

/** Enough leading bytes of an NPY member to hold any header numpy writes for our shapes. */
export const NPY_HEADER_PROBE_BYTES = 4096

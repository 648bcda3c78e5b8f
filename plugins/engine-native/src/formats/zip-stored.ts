/**
 * The uncompressed ("stored") zip layout Python's `zipfile` produces for
 * `np.savez`: each member opened with `force_zip64=True`, so its local header
 * carries sizes 0xFFFFFFFF plus a 20-byte zip64 extra field, while the central
 * directory (members and offsets under 4 GiB) has plain 32-bit sizes. Version
 * 4.5, Unix, mode 0600, DOS date 1980-01-01 00:00 — byte for byte what numpy
 * writes, so our files have DLIO's sizes.
 */
export const LOCAL_HEADER_FIXED_BYTES = 30
export const ZIP64_EXTRA_BYTES = 20
export const CENTRAL_ENTRY_FIXED_BYTES = 46
export const END_OF_CENTRAL_DIRECTORY_BYTES = 22
const LOCAL_HEADER_SIGNATURE = 0x04034b50
const CENTRAL_ENTRY_SIGNATURE = 0x02014b50
const END_SIGNATURE = 0x06054b50
const ZIP64_VERSION = 45
const MADE_BY_UNIX = 0x0300 | ZIP64_VERSION
const DOS_DATE_1980_01_01 = 0x0021
const MODE_0600 = 0o600 << 16
const MAX_PLAIN_ZIP_BYTES = 0xffffffff
/** Offset of the CRC field inside a local header. */
export const LOCAL_HEADER_CRC_OFFSET = 14

export interface StoredMember {
  readonly name: string
  readonly size: number
  readonly crc32: number
  readonly localHeaderOffset: number
}

export function localHeaderBytes(name: string): number {
  return LOCAL_HEADER_FIXED_BYTES + Buffer.byteLength(name) + ZIP64_EXTRA_BYTES
}

export function centralEntryBytes(name: string): number {
  return CENTRAL_ENTRY_FIXED_BYTES + Buffer.byteLength(name)
}

function assertPlainZip(value: number, what: string): void {
  if (value > MAX_PLAIN_ZIP_BYTES) {
    throw new RangeError(`${what} of ${value} bytes needs zip64 central records, which the native npz writer does not produce`)
  }
}

/** Local header with a CRC placeholder; the writer patches the CRC once the data is written. */
export function localHeader(name: string, size: number, crc32 = 0): Buffer {
  assertPlainZip(size, `npz member ${name}`)
  const nameBytes = Buffer.from(name)
  const header = Buffer.alloc(localHeaderBytes(name))
  header.writeUInt32LE(LOCAL_HEADER_SIGNATURE, 0)
  header.writeUInt16LE(ZIP64_VERSION, 4)
  header.writeUInt16LE(0, 6)
  header.writeUInt16LE(0, 8)
  header.writeUInt16LE(0, 10)
  header.writeUInt16LE(DOS_DATE_1980_01_01, 12)
  header.writeUInt32LE(crc32, LOCAL_HEADER_CRC_OFFSET)
  header.writeUInt32LE(MAX_PLAIN_ZIP_BYTES, 18)
  header.writeUInt32LE(MAX_PLAIN_ZIP_BYTES, 22)
  header.writeUInt16LE(nameBytes.length, 26)
  header.writeUInt16LE(ZIP64_EXTRA_BYTES, 28)
  nameBytes.copy(header, 30)
  const extra = 30 + nameBytes.length
  header.writeUInt16LE(1, extra)
  header.writeUInt16LE(16, extra + 2)
  header.writeBigUInt64LE(BigInt(size), extra + 4)
  header.writeBigUInt64LE(BigInt(size), extra + 12)
  return header
}

/** Central directory followed by the end-of-central-directory record. */
export function centralDirectory(members: readonly StoredMember[], directoryOffset: number): Buffer {
  assertPlainZip(directoryOffset, 'npz central directory offset')
  const entries = members.map(member => {
    const nameBytes = Buffer.from(member.name)
    const entry = Buffer.alloc(centralEntryBytes(member.name))
    entry.writeUInt32LE(CENTRAL_ENTRY_SIGNATURE, 0)
    entry.writeUInt16LE(MADE_BY_UNIX, 4)
    entry.writeUInt16LE(ZIP64_VERSION, 6)
    entry.writeUInt16LE(0, 8)
    entry.writeUInt16LE(0, 10)
    entry.writeUInt16LE(0, 12)
    entry.writeUInt16LE(DOS_DATE_1980_01_01, 14)
    entry.writeUInt32LE(member.crc32 >>> 0, 16)
    entry.writeUInt32LE(member.size, 20)
    entry.writeUInt32LE(member.size, 24)
    entry.writeUInt16LE(nameBytes.length, 28)
    entry.writeUInt16LE(0, 30)
    entry.writeUInt16LE(0, 32)
    entry.writeUInt16LE(0, 34)
    entry.writeUInt16LE(0, 36)
    entry.writeUInt32LE(MODE_0600, 38)
    entry.writeUInt32LE(member.localHeaderOffset, 42)
    nameBytes.copy(entry, 46)
    return entry
  })
  const directory = Buffer.concat(entries)
  const end = Buffer.alloc(END_OF_CENTRAL_DIRECTORY_BYTES)
  end.writeUInt32LE(END_SIGNATURE, 0)
  end.writeUInt16LE(members.length, 8)
  end.writeUInt16LE(members.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(directoryOffset, 16)
  return Buffer.concat([directory, end])
}

export interface CentralDirectoryLocation {
  readonly entries: number
  readonly size: number
  readonly offset: number
}

export function parseEndOfCentralDirectory(record: Buffer): CentralDirectoryLocation {
  if (record.length < END_OF_CENTRAL_DIRECTORY_BYTES || record.readUInt32LE(0) !== END_SIGNATURE) {
    throw new Error('no zip end-of-central-directory record at the end of the file')
  }
  return {entries: record.readUInt16LE(10), size: record.readUInt32LE(12), offset: record.readUInt32LE(16)}
}

export interface CentralEntry {
  readonly name: string
  readonly method: number
  readonly size: number
  readonly crc32: number
  readonly localHeaderOffset: number
}

export function parseCentralDirectory(directory: Buffer): CentralEntry[] {
  const entries: CentralEntry[] = []
  let at = 0
  while (at + CENTRAL_ENTRY_FIXED_BYTES <= directory.length && directory.readUInt32LE(at) === CENTRAL_ENTRY_SIGNATURE) {
    const nameLength = directory.readUInt16LE(at + 28)
    const extraLength = directory.readUInt16LE(at + 30)
    const commentLength = directory.readUInt16LE(at + 32)
    entries.push({
      name: directory.toString('utf8', at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      crc32: directory.readUInt32LE(at + 16),
      size: directory.readUInt32LE(at + 24),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    })
    at += CENTRAL_ENTRY_FIXED_BYTES + nameLength + extraLength + commentLength
  }
  return entries
}

/** Where a member's data starts, from its local header's fixed part (name and extra lengths). */
export function memberDataOffset(localHeaderFixed: Buffer, localHeaderOffset: number): number {
  if (localHeaderFixed.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error('zip local header signature missing')
  return localHeaderOffset + LOCAL_HEADER_FIXED_BYTES + localHeaderFixed.readUInt16LE(26) + localHeaderFixed.readUInt16LE(28)
}

const BLOCK = 512
/** GNU tar's default record: 20 blocks; the archive ends padded to it */
const RECORD = 20 * BLOCK

export interface TarEntry {
  /** relative, '/'-separated; a directory without the trailing slash */
  path: string
  type: 'file' | 'directory'
  mode: number
  /** files only */
  data?: Uint8Array
}

export interface TarOptions {
  /** seconds since the epoch, the same for every entry */
  mtime: number
}

const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0') + '\0'

function put(header: Buffer, text: string, offset: number, width: number): void {
  header.write(text, offset, width, 'utf8')
}

/** ustar's split of a long name into prefix (≤ 155 bytes) and name (≤ 100 bytes) at a slash; undefined when no split fits. */
function splitName(name: string): {prefix: string; name: string} | undefined {
  if (Buffer.byteLength(name) <= 100) return {prefix: '', name}
  for (let at = name.indexOf('/'); at >= 0; at = name.indexOf('/', at + 1)) {
    const prefix = name.slice(0, at)
    const rest = name.slice(at + 1)
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest.length > 0) return {prefix, name: rest}
  }
  return undefined
}

function header(name: string, prefix: string, type: string, mode: number, size: number, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK)
  put(block, name, 0, 100)
  put(block, octal(mode & 0o7777, 8), 100, 8)
  put(block, octal(0, 8), 108, 8)
  put(block, octal(0, 8), 116, 8)
  put(block, octal(size, 12), 124, 12)
  put(block, octal(mtime, 12), 136, 12)
  block.fill(' ', 148, 156)
  put(block, type, 156, 1)
  put(block, 'ustar\0', 257, 6)
  put(block, '00', 263, 2)
  put(block, 'root', 265, 32)
  put(block, 'root', 297, 32)
  put(block, prefix, 345, 155)
  let sum = 0
  for (const byte of block) sum += byte
  put(block, octal(sum, 7) + ' ', 148, 8)
  return block
}

/** a pax record "<len> path=<value>\n", whose length counts its own digits */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let length = Buffer.byteLength(body)
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body)
  return `${length}${body}`
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK)

/**
 * The blocks of one entry: a pax extended header first when the name does
 * not fit ustar (or is not ASCII), then the ustar header and the data.
 * Owners are root (0/0), the time is the one given: the same tree gives the
 * same bytes.
 */
export function* entryBlocks(entry: TarEntry, options: TarOptions): Generator<Uint8Array> {
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path
  const size = entry.type === 'file' ? entry.data?.byteLength ?? 0 : 0
  const split = /^[\u0020-\u007E]*$/.test(name) ? splitName(name) : undefined
  if (!split) {
    const pax = Buffer.from(paxRecord('path', name))
    yield header(`PaxHeader/${name.replaceAll(/[^\u0020-\u007E]/g, '_').slice(-80)}`, '', 'x', 0o644, pax.byteLength, options.mtime)
    yield pax
    yield padding(pax.byteLength)
  }
  const short = split ?? {prefix: '', name: name.replaceAll(/[^\u0020-\u007E]/g, '_').slice(-100)}
  yield header(short.name, short.prefix, entry.type === 'file' ? '0' : '5', entry.mode, size, options.mtime)
  if (entry.type === 'file' && entry.data) {
    yield entry.data
    yield padding(size)
  }
}

/** The two zero blocks that end an archive, and the padding to a whole record. */
export function endBlocks(written: number): Uint8Array {
  const end = written + 2 * BLOCK
  return Buffer.alloc(2 * BLOCK + (RECORD - (end % RECORD)) % RECORD)
}

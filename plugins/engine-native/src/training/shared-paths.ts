/**
 * The sorted training file list, stored once in shared memory so every
 * reader thread can resolve file i without a per-thread copy of up to
 * millions of strings.
 */
export interface SharedPathTable {
  bytes: SharedArrayBuffer
  /** Float64Array of count+1 byte offsets */
  offsets: SharedArrayBuffer
}

export function sharePaths(paths: readonly string[]): SharedPathTable {
  const encoded = paths.map(p => Buffer.from(p))
  const bytes = new SharedArrayBuffer(encoded.reduce((sum, b) => sum + b.length, 0))
  const offsets = new Float64Array(new SharedArrayBuffer((paths.length + 1) * 8))
  const view = Buffer.from(bytes)
  let at = 0
  encoded.forEach((b, i) => {
    offsets[i] = at
    b.copy(view, at)
    at += b.length
  })
  offsets[paths.length] = at
  return {bytes, offsets: offsets.buffer as SharedArrayBuffer}
}

export class PathTable {
  private readonly bytes: Buffer
  private readonly offsets: Float64Array

  constructor(table: SharedPathTable) {
    this.bytes = Buffer.from(table.bytes)
    this.offsets = new Float64Array(table.offsets)
  }

  get(index: number): string {
    return this.bytes.toString('utf8', this.offsets[index], this.offsets[index + 1])
  }
}

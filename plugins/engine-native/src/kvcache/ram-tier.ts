/** The size of the RAM tier's memory pieces: big enough that a copy costs what a block copy costs, small enough to waste little at a block's end. */
export const RAM_CHUNK_BYTES = 2 ** 20

/**
 * The RAM tier: real bytes under a byte budget, least recently used first out. Holding the bytes
 * (not just their size) makes a RAM hit cost a real memory copy, as the CPU tier does in kv-cache.py.
 *
 * Its memory never exceeds the budget: a block is made of pooled 1 MiB chunks, room is made before
 * a block is filled, an evicted block's chunks go straight back to the pool (its offload writes
 * noise of its size, which is what the block held), and a read copies through one reused chunk.
 * Handing whole Buffers around instead let evicted blocks wait for their fsync'ed offload, and
 * read copies wait for the garbage collector: option 2 (4 GiB) grew to 23 GB resident.
 */
export class RamTier {
  private readonly blocks = new Map<string, {bytes: number; chunks: Buffer[]}>()
  private readonly pool: Buffer[] = []
  private used = 0
  private scratch?: Buffer

  constructor(readonly capacityBytes: number) {}

  get entries(): number {
    return this.blocks.size
  }

  get usedBytes(): number {
    return this.used
  }

  fits(bytes: number): boolean {
    return bytes <= this.capacityBytes
  }

  has(key: string): boolean {
    return this.blocks.has(key)
  }

  /**
   * Insert a block of `bytes` bytes filled from `source` (repeated), after evicting what would no
   * longer fit, oldest first; return the evicted keys and sizes for the next tier down.
   */
  put(key: string, bytes: number, source: Buffer = Buffer.alloc(RAM_CHUNK_BYTES)): Array<[string, number]> {
    this.remove(key)
    const evicted: Array<[string, number]> = []
    for (const [oldKey, old] of this.blocks) {
      if (this.used + bytes <= this.capacityBytes) break
      this.remove(oldKey)
      evicted.push([oldKey, old.bytes])
    }
    const chunks: Buffer[] = []
    for (let done = 0; done < bytes; done += RAM_CHUNK_BYTES) {
      const chunk = this.pool.pop() ?? Buffer.allocUnsafeSlow(RAM_CHUNK_BYTES)
      const length = Math.min(RAM_CHUNK_BYTES, bytes - done)
      for (let filled = 0; filled < length; filled += source.length) source.copy(chunk, filled, 0, Math.min(source.length, length - filled))
      chunks.push(chunk)
    }
    this.blocks.set(key, {bytes, chunks})
    this.used += bytes
    return evicted
  }

  /** Copy the block out (the read a decode does), refreshing its recency; the bytes copied, or undefined on a miss. */
  read(key: string): number | undefined {
    const block = this.blocks.get(key)
    if (!block) return undefined
    this.blocks.delete(key)
    this.blocks.set(key, block)
    const scratch = (this.scratch ??= Buffer.allocUnsafeSlow(RAM_CHUNK_BYTES))
    let copied = 0
    for (const chunk of block.chunks) copied += chunk.copy(scratch, 0, 0, Math.min(RAM_CHUNK_BYTES, block.bytes - copied))
    return copied
  }

  remove(key: string): void {
    const block = this.blocks.get(key)
    if (!block) return
    this.blocks.delete(key)
    this.used -= block.bytes
    this.pool.push(...block.chunks)
  }
}

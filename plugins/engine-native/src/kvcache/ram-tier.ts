/**
 * The RAM tier: real buffers under a byte budget, least recently used first out. Holding the bytes
 * (not just their size) makes a RAM hit cost a real memory copy, as the CPU tier does in kv-cache.py.
 */
export class RamTier {
  private readonly blocks = new Map<string, Buffer>()
  private used = 0

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

  /** Insert, then return what no longer fits, oldest first, for the next tier down. */
  put(key: string, block: Buffer): Array<[string, Buffer]> {
    this.remove(key)
    this.blocks.set(key, block)
    this.used += block.length
    const evicted: Array<[string, Buffer]> = []
    for (const [oldKey, oldBlock] of this.blocks) {
      if (this.used <= this.capacityBytes) break
      this.blocks.delete(oldKey)
      this.used -= oldBlock.length
      evicted.push([oldKey, oldBlock])
    }
    return evicted
  }

  /** A copy of the block (the read a decode does), refreshing its recency; undefined on a miss. */
  read(key: string): Buffer | undefined {
    const block = this.blocks.get(key)
    if (!block) return undefined
    this.blocks.delete(key)
    this.blocks.set(key, block)
    return Buffer.from(block)
  }

  remove(key: string): void {
    const block = this.blocks.get(key)
    if (!block) return
    this.blocks.delete(key)
    this.used -= block.length
  }
}

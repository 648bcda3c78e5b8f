import {constants} from 'node:fs'
import {type FileHandle, mkdir, open, rm, unlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

const CHUNK = 4 * 2 ** 20
const ALIGN = 4096
/** one read buffer: a chunk and room to align it for O_DIRECT */
export const STORAGE_READ_BUFFER_BYTES = CHUNK + ALIGN

/**
 * Whether reads can bypass the page cache with O_DIRECT here, and the offset at which a buffer's
 * memory is aligned for it. Node cannot tell a buffer's address, so the offset is found by trying:
 * O_DIRECT refuses (EINVAL) a misaligned buffer. kv-cache.py drops the file's pages with
 * posix_fadvise(DONTNEED) before each read instead (engines.md §3.1), which Node does not offer.
 */
async function alignedOffset(probe: FileHandle, buffer: Buffer): Promise<number | undefined> {
  for (let offset = 0; offset < ALIGN; offset += 16) {
    try {
      await probe.read(buffer, offset, ALIGN, 0)
      return offset
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error
    }
  }
  return undefined
}

export interface StorageReadMode {
  pageCacheBypassed: boolean
  /** why reads go through the page cache, when they do */
  reason?: string
}

/**
 * The storage tier: one file per KV block under the rank's cache directory, written in full and
 * fsync'ed before the write counts (kv-cache.py: np.save + os.fsync), read back with O_DIRECT where
 * the file system allows it.
 */
export class StorageTier {
  private readonly sizes = new Map<string, number>()
  private readonly freeBuffers: Array<{buffer: Buffer; offset: number}> = []
  private probe?: FileHandle
  private directReads = false
  private modeReason?: string

  private constructor(readonly dir: string, private readonly noise: Buffer) {}

  static async create(dir: string, noise: Buffer): Promise<StorageTier> {
    await mkdir(dir, {recursive: true})
    const tier = new StorageTier(dir, noise)
    const probeFile = join(dir, '.odirect-probe')
    await writeFile(probeFile, Buffer.alloc(ALIGN))
    try {
      tier.probe = await open(probeFile, constants.O_RDONLY | constants.O_DIRECT)
      tier.directReads = true
    } catch (error) {
      tier.modeReason = `O_DIRECT is not supported in ${dir} (${(error as NodeJS.ErrnoException).code}): reads may be served from the page cache`
    }
    return tier
  }

  get readMode(): StorageReadMode {
    return this.directReads ? {pageCacheBypassed: true} : {pageCacheBypassed: false, reason: this.modeReason}
  }

  get entries(): number {
    return this.sizes.size
  }

  has(key: string): boolean {
    return this.sizes.has(key)
  }

  private file(key: string): string {
    return join(this.dir, `${key}.kv`)
  }

  /** Write `bytes` bytes of incompressible noise as the block's file, then fsync. */
  async write(key: string, bytes: number): Promise<void> {
    const handle = await open(this.file(key), 'w')
    try {
      for (let done = 0, chunk = 0; done < bytes; chunk++) {
        const length = Math.min(CHUNK, bytes - done)
        // noise chunks start at a different offset each time, so neighbouring chunks differ
        const {bytesWritten} = await handle.write(this.noise, (chunk * 1_048_573) % (this.noise.length - length + 1), length)
        done += bytesWritten
      }
      await handle.sync()
    } finally {
      await handle.close()
    }
    this.sizes.set(key, bytes)
  }

  /** Read the whole block back; the bytes are dropped (decode needs them on the device, not here). */
  async read(key: string): Promise<number> {
    const size = this.sizes.get(key)
    if (size === undefined) throw new Error(`storage tier: no block ${key}`)
    const slot = await this.takeBuffer()
    const handle = await open(this.file(key), this.directReads ? constants.O_RDONLY | constants.O_DIRECT : 'r')
    try {
      let done = 0
      while (done < size) {
        const want = Math.min(CHUNK, Math.ceil((size - done) / ALIGN) * ALIGN)
        const {bytesRead} = await handle.read(slot.buffer, slot.offset, want, done)
        if (bytesRead === 0) throw new Error(`storage tier: ${this.file(key)} ends at ${done} of ${size} bytes`)
        done += bytesRead
      }
      return size
    } finally {
      await handle.close()
      this.freeBuffers.push(slot)
    }
  }

  async remove(key: string): Promise<void> {
    if (!this.sizes.delete(key)) return
    await unlink(this.file(key)).catch(() => undefined)
  }

  private async takeBuffer(): Promise<{buffer: Buffer; offset: number}> {
    const free = this.freeBuffers.pop()
    if (free) return free
    // not from the shared pool: a slab of its own that the alignment probe can pin down
    const buffer = Buffer.allocUnsafeSlow(STORAGE_READ_BUFFER_BYTES)
    if (!this.directReads || !this.probe) return {buffer, offset: 0}
    const offset = await alignedOffset(this.probe, buffer)
    if (offset === undefined) {
      this.directReads = false
      this.modeReason = 'no O_DIRECT-aligned offset found in a read buffer: reads may be served from the page cache'
      return {buffer, offset: 0}
    }
    return {buffer, offset}
  }

  /** Close the probe and delete the rank's cache directory (a 300 s pass can leave hundreds of GiB). */
  async dispose(): Promise<void> {
    await this.probe?.close()
    await rm(this.dir, {recursive: true, force: true})
  }
}

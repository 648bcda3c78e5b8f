import {createHash, randomBytes} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {Readable, Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGzip, constants} from 'node:zlib'
import type {TreeFile} from './collect-files.js'
import {endBlocks, entryBlocks, type TarEntry} from './tar-writer.js'

export const MANIFEST_FILE = 'mlps-manifest.json'
const READ_AHEAD = 16

/** the bytes a file goes into the archive with */
export type FileContent = (file: TreeFile) => Promise<Buffer>

/** the folders above the files, each once */
function foldersOf(files: readonly TreeFile[]): string[] {
  const folders = new Set<string>()
  for (const {path} of files) {
    for (let at = path.indexOf('/'); at > 0; at = path.indexOf('/', at + 1)) folders.add(path.slice(0, at))
  }
  return [...folders]
}

async function* tarStream(manifest: Buffer, files: readonly TreeFile[], content: FileContent, mtime: number): AsyncGenerator<Uint8Array> {
  let written = 0
  // one chunk per entry: gzip and the file stream see few large writes, not three small ones
  const emit = function* (entry: TarEntry) {
    const chunk = Buffer.concat([...entryBlocks(entry, {mtime})])
    written += chunk.byteLength
    yield chunk
  }
  yield* emit({path: MANIFEST_FILE, type: 'file', mode: 0o644, data: manifest})
  const byPath = new Map(files.map(file => [file.path, file]))
  const paths = [...foldersOf(files), ...byPath.keys()].sort((a, b) => a < b ? -1 : a > b ? 1 : 0)
  // files are read a few ahead of the one being written, so the disk and gzip overlap
  const reads = new Map<string, Promise<Buffer>>()
  const fileOrder = paths.filter(path => byPath.has(path))
  let nextRead = 0
  const readAhead = () => {
    for (; reads.size < READ_AHEAD && nextRead < fileOrder.length; nextRead++) reads.set(fileOrder[nextRead], content(byPath.get(fileOrder[nextRead])!))
  }
  for (const path of paths) {
    const file = byPath.get(path)
    if (!file) {
      yield* emit({path, type: 'directory', mode: 0o755})
      continue
    }
    readAhead()
    const data = await reads.get(path)!
    reads.delete(path)
    yield* emit({path, type: 'file', mode: file.executable ? 0o755 : 0o644, data})
  }
  yield endBlocks(written)
}

/**
 * Write the tar.gz: the manifest first, then folders and files in byte
 * order, root-owned, one fixed time, gzip at level 9 without a name or a
 * time in its header; so the same tree gives the same bytes. Written to a
 * temp file beside the output and renamed; returns the archive's SHA-256.
 */
export async function writeArchive(output: string, manifest: Buffer, files: readonly TreeFile[], content: FileContent, mtime: number): Promise<{sha256: string; bytes: number}> {
  const temp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString('hex')}.tmp`)
  const hash = createHash('sha256')
  let bytes = 0
  const tee = new Transform({transform(chunk: Buffer, _encoding, done) {
    hash.update(chunk)
    bytes += chunk.byteLength
    done(null, chunk)
  }})
  try {
    const sink = createWriteStream(temp, {mode: 0o644, flush: true})
    await pipeline(Readable.from(tarStream(manifest, files, content, mtime)), createGzip({level: constants.Z_BEST_COMPRESSION}), tee, sink)
    await rename(temp, output)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
  return {sha256: hash.digest('hex'), bytes}
}

import {randomBytes} from 'node:crypto'
import {rmSync} from 'node:fs'
import {link, mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

/** Temp files being written now: mlps exiting mid-write (a third Ctrl-C, a stop signal) removes them, so none is left. */
const inFlight = new Set<string>()

function tempBeside(path: string): string {
  if (inFlight.size === 0) process.once('exit', removeInFlight)
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  inFlight.add(temp)
  return temp
}

function removeInFlight(): void {
  for (const temp of inFlight) rmSync(temp, {force: true})
  inFlight.clear()
}

function settled(temp: string): void {
  inFlight.delete(temp)
  if (inFlight.size === 0) process.off('exit', removeInFlight)
}

/**
 * Write a file so that readers see either the old content or the new one,
 * never half of it: write a sibling temp file, fsync, then rename over.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  const temp = tempBeside(path)
  try {
    const handle = await open(temp, 'w', 0o644)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } catch (error) {
      await handle.close()
      await rm(temp, {force: true})
      throw withPath(error, path)
    }
    await handle.close()
    try {
      await rename(temp, path)
    } catch (error) {
      await rm(temp, {force: true})
      throw error
    }
  } finally {
    settled(temp)
  }
}

/**
 * Create a file only if there is none, whole or not at all: a synced temp
 * file hard-linked into place fails with EEXIST rather than replace what is
 * there, so of two concurrent creators exactly one wins and a reader never
 * sees half a file. False when the name was taken.
 */
export async function createFileExclusively(path: string, data: string | Uint8Array): Promise<boolean> {
  await mkdir(dirname(path), {recursive: true})
  const temp = tempBeside(path)
  try {
    const handle = await open(temp, 'wx', 0o644)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await link(temp, path)
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw error
    } finally {
      await rm(temp, {force: true})
    }
  } finally {
    settled(temp)
  }
}

/** A write on a file handle fails without a path (ENOSPC, EDQUOT); the error then names the file meant. */
function withPath(error: unknown, path: string): unknown {
  if (error instanceof Error && (error as NodeJS.ErrnoException).code && !(error as NodeJS.ErrnoException).path) Object.assign(error, {path})
  return error
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n')
}

import {join, resolve} from 'node:path'
import {MlpsError} from '../errors.js'
import {parseStorageLocation} from './storage-location.js'

/**
 * A folder of the run as the run uses it: an absolute folder, or the normalized
 * `s3://bucket/prefix` of a bucket. `where` names the flag or config key for the error (a doubled or
 * foreign scheme, a bad bucket name), so a URI never becomes a relative folder named "s3:".
 */
export function resolveStoragePath(input: string, where: string): string {
  const location = parseStorageLocation(input, where)
  return location.kind === 'object' ? location.uri : resolve(location.path)
}

/** `base/child` for a folder or a bucket prefix; path.join would fold the `//` of `s3://`. */
export function joinStoragePath(base: string, ...children: string[]): string {
  if (!/^s3:\/\//i.test(base)) return join(base, ...children)
  const tail = children.flatMap(child => child.split('/')).filter(part => part !== '' && part !== '.')
  return [base.replace(/\/+$/, ''), ...tail].join('/')
}

/** The last part of a folder or a bucket prefix (the bucket itself when there is no prefix). */
export function storageBaseName(path: string): string {
  return path.replace(/\/+$/, '').split('/').at(-1) ?? ''
}

/**
 * A folder that must be on a filesystem (the engine does POSIX I/O only): an `s3://` URI is refused with
 * `fix`, rather than taken as a relative folder named "s3:".
 */
export function resolveFolderPath(input: string, where: string, fix: string): string {
  const location = parseStorageLocation(input, where)
  if (location.kind === 'object') throw new MlpsError(`"${input}" is object storage, and this benchmark reads and writes a folder`, {where, fix})
  return resolve(location.path)
}

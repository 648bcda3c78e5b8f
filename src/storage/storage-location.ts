import {MlpsError} from '../errors.js'

/** Where a benchmark's data lives: a folder on a filesystem, or a prefix in an S3-compatible bucket. */
export type StorageLocation =
  | {kind: 'filesystem'; path: string}
  | {kind: 'object'; uri: string; bucket: string; prefix: string}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//
// S3's naming rules for new buckets (lower case, digits, dots, hyphens; 3–63 characters)
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/**
 * Reads a folder a benchmark reads or writes, as the user gave it. `s3://bucket/prefix` is object
 * storage; any other `scheme://` is refused rather than taken as a relative folder named "scheme:".
 * `where` names the flag or config key, for the error.
 */
export function parseStorageLocation(input: string, where: string): StorageLocation {
  const scheme = SCHEME.exec(input)?.[1]
  if (scheme === undefined) return {kind: 'filesystem', path: input}
  if (scheme.toLowerCase() !== 's3') {
    throw new MlpsError(`"${input}" uses the scheme ${scheme}://, which mlps cannot read`, {where, fix: 'give a folder path, or s3://bucket/prefix for S3-compatible object storage'})
  }
  const rest = input.slice(scheme.length + 3)
  if (SCHEME.test(rest) || /^s3:/i.test(rest)) {
    throw new MlpsError(`"${input}" has the scheme twice`, {where, fix: `write it once: s3://${rest.replace(/^(s3:\/*)+/i, '')}`})
  }
  const [bucket = '', ...keyParts] = rest.split('/')
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw new MlpsError(`"${bucket}" in "${input}" is not a bucket name`, {where, fix: 'a bucket name has 3 to 63 lower-case letters, digits, dots or hyphens: s3://my-bucket/prefix'})
  }
  const prefix = keyParts.filter(part => part !== '').join('/')
  return {kind: 'object', uri: prefix === '' ? `s3://${bucket}` : `s3://${bucket}/${prefix}`, bucket, prefix}
}

/** The object key of a path under a location's prefix. */
export function objectKey(location: {prefix: string}, relativePath: string): string {
  const tail = relativePath.split('/').filter(part => part !== '' && part !== '.').join('/')
  return location.prefix === '' ? tail : `${location.prefix}/${tail}`
}

export function isObjectStorageUri(input: string): boolean {
  return /^s3:\/\//i.test(input)
}

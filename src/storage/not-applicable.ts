/** What a folder check says of a path in a bucket: its question (free space, another filesystem, a listing) does not arise. */
export function notApplicableToObjectStorage(uris: readonly string[]): string {
  return `not applicable: object storage (${uris.join(', ')})`
}

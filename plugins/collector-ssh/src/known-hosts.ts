import {createHmac} from 'node:crypto'

export interface KnownHostEntry {
  marker?: '@cert-authority' | '@revoked'
  patterns: string[]
  keyType: string
  key: Buffer
}

export type HostKeyVerdict = 'match' | 'mismatch' | 'unknown' | 'revoked'

/**
 * Parse an OpenSSH known_hosts file: plain names, `[host]:port`, comma
 * lists, wildcards, negations and hashed `|1|salt|hmac` entries (Debian
 * hashes by default), per ecosystem.md §5.2. ssh2 reads none of this itself.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const fields = line.split(/\s+/)
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined
    if (marker !== undefined && marker !== '@cert-authority' && marker !== '@revoked') continue
    const [patterns, keyType, key] = fields
    if (!patterns || !keyType || !key || !/^[A-Za-z0-9+/]+=*$/.test(key)) continue
    entries.push({marker, patterns: patterns.split(','), keyType, key: Buffer.from(key, 'base64')})
  }
  return entries
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** Whether one known_hosts pattern list names `name` (a negated pattern that matches wins: no match). */
export function patternsMatch(patterns: readonly string[], name: string): boolean {
  let matched = false
  for (const pattern of patterns) {
    if (pattern.startsWith('|1|')) {
      const [, , salt, hash] = pattern.split('|')
      if (salt && hash && createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash) matched = true
      continue
    }
    const negated = pattern.startsWith('!')
    if (globMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

/**
 * What known_hosts says about `key` presented by host:port. A revoked key
 * is refused; a key listed for the host matches; a host listed only with
 * other keys is a mismatch (the key changed: possibly an attack); a host not
 * listed at all is unknown. Certificate authorities are not supported, so
 * `@cert-authority` lines never vouch for a key.
 */
export function verifyHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port)
  const forHost = entries.filter(entry => patternsMatch(entry.patterns, name))
  if (forHost.some(entry => entry.marker === '@revoked' && entry.key.equals(key))) return 'revoked'
  const plain = forHost.filter(entry => entry.marker === undefined)
  if (plain.some(entry => entry.key.equals(key))) return 'match'
  return plain.length > 0 ? 'mismatch' : 'unknown'
}

/** The key types known_hosts lists for host:port, to ask the server for one of those first. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port)
  return [...new Set(entries.filter(e => e.marker === undefined && patternsMatch(e.patterns, name)).map(e => e.keyType))]
}

/** The algorithm name inside an SSH public key blob (a uint32 length, then the name). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown'
  const length = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + length).toString('latin1')
}

function globMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name.toLowerCase()
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i')
  return regex.test(name)
}

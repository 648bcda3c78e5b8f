import {readFileSync} from 'node:fs'
import {join} from 'node:path'

/** What an OpenSSH client config says about one host, in the keywords mlps honours. */
export interface SshHostConfig {
  hostName?: string
  port?: number
  user?: string
  identityFiles: string[]
  /** `[user@]host[:port]` hops, in order; undefined or empty for a direct connection */
  proxyJump?: string[]
}

interface Entry {
  keyword: string
  value: string
  /** the Host patterns of the block it sits in; undefined before the first Host line (applies to every host) */
  patterns?: string[]
  /** inside a Match block, which mlps does not evaluate */
  match?: boolean
}

/**
 * An OpenSSH client config (ssh_config(5)): `Keyword value` or `Keyword=value` lines in `Host` blocks,
 * patterns with `*`, `?` and `!` negation. For each host the first value of a keyword wins, as in
 * OpenSSH; IdentityFile adds up. Only Host blocks are evaluated: a `Match` block's conditions need
 * OpenSSH itself (exec, canonical), so its lines are left out rather than guessed.
 */
export class SshConfig {
  private constructor(private readonly entries: Entry[]) {}

  static parse(text: string): SshConfig {
    const entries: Entry[] = []
    let patterns: string[] | undefined
    let match = false
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim()
      if (!line || line.startsWith('#')) continue
      const parsed = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line)
      if (!parsed) continue
      const keyword = parsed[1].toLowerCase()
      const value = unquote(parsed[2].trim())
      if (keyword === 'host') {
        patterns = value.split(/\s+/)
        match = false
      } else if (keyword === 'match') {
        match = true
      } else {
        entries.push({keyword, value, patterns, match})
      }
    }
    return new SshConfig(entries)
  }

  /** ~/.ssh/config then /etc/ssh/ssh_config, as OpenSSH reads them; a missing file is an empty one. */
  static read(home: string, files = [join(home, '.ssh', 'config'), '/etc/ssh/ssh_config']): SshConfig {
    return new SshConfig(files.flatMap(file => SshConfig.parse(readOptional(file)).entries))
  }

  /** whether any block names an IdentityFile (so a key may come from there when ~/.ssh has none of the defaults) */
  mentionsIdentity(): boolean {
    return this.entries.some(entry => entry.keyword === 'identityfile')
  }

  forHost(host: string, home: string, localUser: string): SshHostConfig {
    const first = new Map<string, string>()
    const identityFiles: string[] = []
    for (const entry of this.entries) {
      if (entry.match || (entry.patterns && !patternsMatch(entry.patterns, host))) continue
      if (entry.keyword === 'identityfile') identityFiles.push(entry.value)
      else if (!first.has(entry.keyword)) first.set(entry.keyword, entry.value)
    }
    const hostName = first.get('hostname')?.replaceAll('%h', host)
    const user = first.get('user')
    const tokens = (value: string) => value.replace(/^~(?=\/|$)/, home).replaceAll('%d', home).replaceAll('%u', localUser).replaceAll('%h', hostName ?? host).replaceAll('%r', user ?? localUser).replaceAll('%%', '%')
    const port = first.get('port')
    const jump = first.get('proxyjump')
    return {
      hostName,
      port: port && /^\d+$/.test(port) ? Number(port) : undefined,
      user,
      identityFiles: identityFiles.map(tokens),
      proxyJump: jump === undefined || jump.toLowerCase() === 'none' ? undefined : jump.split(',').map(hop => hop.trim()).filter(Boolean),
    }
  }
}

/** `[user@]host[:port]` (or ssh://[user@]host[:port]) of a ProxyJump hop. */
export function parseJumpHop(hop: string): {user?: string; host: string; port?: number} {
  const match = /^(?:ssh:\/\/)?(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop)
  if (!match) return {host: hop}
  return {user: match[1], host: match[2].replace(/^\[(.*)\]$/, '$1'), port: match[3] ? Number(match[3]) : undefined}
}

function patternsMatch(patterns: readonly string[], host: string): boolean {
  let matched = false
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!')
    if (glob(negated ? pattern.slice(1) : pattern, host)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

function glob(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i')
  return regex.test(name)
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

import {readFile} from 'node:fs/promises'
import {platform} from 'node:os'

/** The package-manager families install hints are written for (mlpstorage-spec.md §10.2). */
export type OsFamily = 'debian' | 'rhel' | 'fedora' | 'suse' | 'arch' | 'macos' | 'unknown'

export interface OsInfo {
  family: OsFamily
  /** os-release ID (debian, ubuntu, rocky, ...) or "macos" */
  id: string | null
  versionId: string | null
  prettyName: string | null
}

const FAMILY_OF_ID: Record<string, OsFamily> = {
  debian: 'debian', ubuntu: 'debian', linuxmint: 'debian', pop: 'debian', raspbian: 'debian', kali: 'debian',
  rhel: 'rhel', centos: 'rhel', rocky: 'rhel', almalinux: 'rhel', ol: 'rhel', amzn: 'rhel', 'centos-stream': 'rhel',
  fedora: 'fedora',
  sles: 'suse', sled: 'suse', opensuse: 'suse', 'opensuse-leap': 'suse', 'opensuse-tumbleweed': 'suse', suse: 'suse',
  arch: 'arch', manjaro: 'arch', endeavouros: 'arch',
}

function unquote(value: string): string {
  const trimmed = value.trim()
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === '\'') && trimmed.at(-1) === trimmed[0]) {
    return trimmed.slice(1, -1).replace(/\\(["'$`\\])/g, '$1')
  }
  return trimmed
}

/** os-release(5) text → OS info; the family comes from ID, then from ID_LIKE (e.g. a derivative of ubuntu). */
export function parseOsRelease(text: string): OsInfo {
  const fields: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (match) fields[match[1]] = unquote(match[2])
  }
  const id = fields.ID?.toLowerCase() ?? null
  const like = (fields.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const family = [id ?? '', ...like].map(candidate => FAMILY_OF_ID[candidate]).find(Boolean) ?? 'unknown'
  return {family, id, versionId: fields.VERSION_ID ?? null, prettyName: fields.PRETTY_NAME ?? fields.NAME ?? null}
}

/** This machine's OS: macOS from the platform, Linux from /etc/os-release (then /usr/lib/os-release). */
export async function detectLocalOs(): Promise<OsInfo> {
  if (platform() === 'darwin') return {family: 'macos', id: 'macos', versionId: null, prettyName: 'macOS'}
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      return parseOsRelease(await readFile(file, 'utf8'))
    } catch {}
  }
  return {family: 'unknown', id: null, versionId: null, prettyName: null}
}

import type {HostShell} from '../doctor/host-shell.js'

/** One storage path a run uses, by the name `fs_separation.json` gives it (data_dir, cache_dir, ...). */
export interface StoragePath {
  role: string
  /** the run option it comes from, dotted */
  option: string
  path: string
}

/** Where one path lives: the nearest existing folder (a path not created yet lives where it will be created). */
export interface PathPlacement {
  path: string
  /** the nearest existing ancestor that was measured */
  probed: string
  /** st_dev as major:minor */
  device: string
  mount_point: string
  fs_type: string | null
  /** the mount's source (the block device, the NFS export, tmpfs, ...) */
  source: string | null
}

/** A hard link from the storage path into the results dir: it must fail with EXDEV between filesystems. */
export type LinkAttempt = {result: 'EXDEV'} | {result: 'linked'} | {result: 'not-tried' | 'other-error'; reason: string}

export interface PathSeparation extends PathPlacement {
  role: string
  option: string
  link: LinkAttempt
  /** same device id, or a hard link that went through: one filesystem */
  same_filesystem: boolean
}

export interface HostSeparation {
  host: string
  results_dir: PathPlacement
  paths: PathSeparation[]
}

/**
 * Measures every path with coreutils only, so any host with a POSIX shell
 * answers: the device and mount point of the nearest existing folder, then a
 * hard link from a temp file beside each storage path into the results dir.
 * The paths are arguments, never part of the script. LC_ALL=C keeps ln's
 * message the kernel's EXDEV text.
 */
const PROBE_SCRIPT = `
export LC_ALL=C
nearest() { p=$1; while [ ! -e "$p" ]; do p=$(dirname -- "$p"); done; printf '%s' "$p"; }
folder() { if [ -d "$1" ]; then printf '%s' "$1"; else dirname -- "$1"; fi; }
results=$(nearest "$1")
i=0
for target in "$@"; do
  p=$(nearest "$target")
  printf 'place\\t%s\\t%s\\t%s\\n' "$i" "$p" "$(stat --printf '%D\\t%m' -- "$p")"
  if [ "$i" -gt 0 ]; then
    dir=$(folder "$p")
    tmp=$(mktemp -- "$dir/.mlps-fs-probe.XXXXXX" 2>&1) || { printf 'link\\t%s\\tnot-tried\\tcannot create a file in %s: %s\\n' "$i" "$dir" "$(printf '%s' "$tmp" | tr '\\n\\t' '  ')"; i=$((i+1)); continue; }
    link="$(folder "$results")/.mlps-fs-probe-link.$$.$i"
    if out=$(ln -- "$tmp" "$link" 2>&1); then printf 'link\\t%s\\tlinked\\t\\n' "$i"; rm -f -- "$link"
    else case "$out" in *'cross-device'*) printf 'link\\t%s\\tEXDEV\\t\\n' "$i";; *) printf 'link\\t%s\\tother-error\\t%s\\n' "$i" "$(printf '%s' "$out" | tr '\\n\\t' '  ')";; esac
    fi
    rm -f -- "$tmp"
  fi
  i=$((i+1))
done
echo mountinfo
cat /proc/self/mountinfo
`

/** Measure on one host whether each storage path and the results dir are on different filesystems. */
export async function measureSeparation(shell: HostShell, resultsDir: string, paths: readonly StoragePath[], signal?: AbortSignal): Promise<HostSeparation> {
  const result = await shell.exec(['sh', '-c', PROBE_SCRIPT, 'mlps-fs-probe', resultsDir, ...paths.map(p => p.path)], {timeoutMs: 30_000, signal})
  if (result.failure || result.exitCode !== 0) {
    throw new Error(result.failure ?? `the probe exited with ${result.exitCode}: ${result.stderr.trim().split('\n').pop() ?? ''}`)
  }
  return parseProbe(shell.host, result.stdout, resultsDir, paths)
}

interface Mount {
  device: string
  mountPoint: string
  fsType: string
  source: string
}

/** /proc/self/mountinfo: "id parent major:minor root mountpoint options ... - fstype source superopts" */
export function parseMountinfo(text: string): Mount[] {
  return text.split('\n').filter(Boolean).flatMap(line => {
    const [before, after] = line.split(' - ')
    const fields = before?.split(' ') ?? []
    const [fsType, source] = after?.split(' ') ?? []
    if (fields.length < 5 || !fsType) return []
    return [{device: fields[2], mountPoint: unescapeMount(fields[4]), fsType, source: unescapeMount(source ?? '')}]
  })
}

/** stat's %D (st_dev in hex) as mountinfo's major:minor, by the kernel's dev_t encoding */
export function majorMinorOf(hexDevice: string): string {
  const dev = BigInt(`0x${hexDevice}`)
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn)
  return `${major}:${minor}`
}

const unescapeMount = (text: string) => text.replaceAll(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))

export function parseProbe(host: string, stdout: string, resultsDir: string, paths: readonly StoragePath[]): HostSeparation {
  const [report, mountinfo = ''] = stdout.split(/^mountinfo$/m)
  const mounts = parseMountinfo(mountinfo)
  const places = new Map<number, PathPlacement>()
  const links = new Map<number, LinkAttempt>()
  const asked = [resultsDir, ...paths.map(p => p.path)]
  for (const line of report.split('\n').filter(Boolean)) {
    const [kind, index, ...rest] = line.split('\t')
    const at = Number(index)
    if (kind === 'place') {
      const [probed, device, mountPoint] = rest
      const majorMinor = majorMinorOf(device)
      // stacked mounts: the last one on a mount point is the one in effect
      const mount = mounts.findLast(m => m.mountPoint === mountPoint && m.device === majorMinor) ?? mounts.findLast(m => m.mountPoint === mountPoint)
      places.set(at, {path: asked[at], probed, device: majorMinor, mount_point: mountPoint, fs_type: mount?.fsType ?? null, source: mount?.source ?? null})
    } else if (kind === 'link') {
      const [outcome, reason = ''] = rest
      links.set(at, outcome === 'EXDEV' || outcome === 'linked' ? {result: outcome} : {result: outcome === 'not-tried' ? 'not-tried' : 'other-error', reason: reason.trim()})
    }
  }
  const results = places.get(0)
  if (!results) throw new Error(`the probe did not measure the results dir ${resultsDir}: ${stdout.slice(0, 200)}`)
  return {
    host,
    results_dir: results,
    paths: paths.map((storage, index) => {
      const place = places.get(index + 1)
      if (!place) throw new Error(`the probe did not measure ${storage.path}`)
      const link = links.get(index + 1) ?? {result: 'not-tried', reason: 'no answer from the probe'}
      return {role: storage.role, option: storage.option, ...place, link, same_filesystem: place.device === results.device || link.result === 'linked'}
    }),
  }
}

export const FS_SEPARATION_FILE = 'fs_separation.json'

/** What `fs_separation.json` holds: the verdict the v3.0 rules read (`same_filesystem`) and every host's measurement behind it. */
export function separationDocument(resultsDir: string, hosts: readonly HostSeparation[], checkedAt: Date) {
  const all = hosts.flatMap(host => host.paths)
  // the link decides wherever it could be tried; device ids alone where it could not
  const linkDecided = all.length > 0 && all.every(p => p.link.result === 'EXDEV' || p.link.result === 'linked')
  return {
    same_filesystem: all.some(p => p.same_filesystem),
    method: linkDecided ? 'link_exdev' : 'st_dev',
    results_dir: resultsDir,
    checked_at: checkedAt.toISOString(),
    hosts,
  }
}

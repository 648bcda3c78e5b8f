import {
  CGROUP_V1_CPU_FILES, CGROUP_V1_MEMORY_FILES, CGROUP_V2_FILES, OPTIONAL_FILES, PROC_STAT_GREP, SAMPLE_FILES, SNAPSHOT_FILES, VIRTUAL_FS_TYPES,
} from './gather-plan.js'
import {RAW_REPORT_FORMAT} from './raw-report.js'

/**
 * The gatherer for other hosts: a constant POSIX sh program (cat, grep,
 * awk, stat, date; no Python, no Node) that prints the raw report as framed
 * sections, parsed on the controller by gather-frames.ts. It is the same
 * text for every host; the only values in it are numbers checked here and
 * the probe path written as octal escapes, so nothing a user types can
 * become code. Over SSH it goes to `sh -s` on stdin (the login shell, bash
 * or csh or fish, only ever sees `sh -s`); over MPI it is `sh -c <program>`
 * in the rank's argv.
 */

const COMMON = String.raw`export LC_ALL=C
file() { printf '\n@@file %s\n' "$1"; cat -- "$1" 2>/dev/null || printf '\n@@error %s\n' "$1"; }
procstat() { printf '\n@@file /proc/stat\n'; grep -E '${PROC_STAT_GREP}' /proc/stat 2>/dev/null || printf '\n@@error /proc/stat\n'; }
begin() { printf '@@begin ${RAW_REPORT_FORMAT} %s\n@@time %s\n' "$1" "$(date +%s.%N)"; }
finish() { printf '\n@@times\n'; times; printf '\n@@end\n'; }
`

const SNAPSHOT_BODY = String.raw`walk() {
  b=$1; p=$2; shift 2; [ "$p" = / ] && p=
  while :; do
    for n in "$@"; do [ -r "$b$p/$n" ] && file "$b$p/$n"; done
    [ -z "$p" ] && break
    p=${'${p%/*}'}
  done
}
begin snapshot
for f in ${SNAPSHOT_FILES.filter(f => f !== '/proc/stat' && !OPTIONAL_FILES.has(f)).join(' ')}; do file "$f"; done
for f in ${[...OPTIONAL_FILES].join(' ')}; do [ -e "$f" ] && file "$f"; done
procstat
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  walk /sys/fs/cgroup "$(awk -F: '$1 == "0" && $2 == "" {print $3}' /proc/self/cgroup)" ${CGROUP_V2_FILES.join(' ')}
else
  walk /sys/fs/cgroup/memory "$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)" ${CGROUP_V1_MEMORY_FILES.join(' ')}
  walk /sys/fs/cgroup/cpu "$(awk -F: '$2 ~ /(^|,)cpu(,|$)/ {print $3}' /proc/self/cgroup)" ${CGROUP_V1_CPU_FILES.join(' ')}
fi
t=; command -v timeout >/dev/null 2>&1 && t='timeout 5'
printf '\n@@statfs\n'
awk '$3 !~ /^(${VIRTUAL_FS_TYPES.join('|')})$/ {print $2}' /proc/mounts | while IFS= read -r m; do $t stat -f -c '%S %b %f %a %n' "$m" 2>/dev/null; done
printf '\n@@net\n'
for d in /sys/class/net/*; do
  [ -d "$d" ] || continue; s=; u=
  read -r s 2>/dev/null <"$d/speed"; read -r u 2>/dev/null <"$d/mtu"
  printf '%s %s %s\n' "${'${d##*/}'}" "${'${s:--}'}" "${'${u:--}'}"
done
printf '\n@@block\n'
for d in /sys/block/*; do [ -e "$d" ] && printf '%s\n' "${'${d##*/}'}"; done
`

/** The program that prints one snapshot frame; with a probe path, the frame says whether this host can read that file. */
export function snapshotScript(probePath?: string): string {
  const probe = probePath === undefined ? '' :
    `probe=$(printf '${octalEscape(probePath)}')\nprintf '\\n@@probe\\n'; cat -- "$probe" 2>/dev/null || printf '\\n@@error probe\\n'\n`
  return `${COMMON}${SNAPSHOT_BODY}${probe}finish\n`
}

/**
 * The program that prints a sample frame at once and then every
 * `intervalSeconds`, until its output is closed or it is signalled: one
 * long-lived session per host instead of a connection per sample.
 */
export function samplerScript(intervalSeconds: number): string {
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) throw new RangeError(`sampling interval must be a positive number of seconds, got ${intervalSeconds}`)
  const files = SAMPLE_FILES.filter(f => f !== '/proc/stat').join(' ')
  const seconds = Number.isInteger(intervalSeconds) ? String(intervalSeconds) : intervalSeconds.toFixed(3)
  // sleep in the background and wait for it, so a TERM from the controller or mpirun ends the loop at once
  return `${COMMON}trap 'kill $! 2>/dev/null; exit 0' TERM HUP INT PIPE
while :; do
  begin sample
  for f in ${files}; do file "$f"; done
  procstat
  finish
  sleep ${seconds} & wait $! || exit 0
done
`
}

/** Every byte as a \ooo escape for printf's format: only backslashes and octal digits reach the shell. */
function octalEscape(text: string): string {
  return [...Buffer.from(text, 'utf8')].map(byte => `\\${byte.toString(8).padStart(3, '0')}`).join('')
}

import type {CheckResult, PreflightCheck} from '../check.js'

/** logind.conf(5): the main file, then drop-ins from these folders, later names winning */
const DROP_IN_DIRS = ['/usr/lib/systemd/logind.conf.d', '/usr/local/lib/systemd/logind.conf.d', '/run/systemd/logind.conf.d', '/etc/systemd/logind.conf.d']

/** One sh program for every host: which uid runs, whether systemd runs, and every logind config file, framed. */
const SCRIPT = `id -u
if [ -d /run/systemd/system ]; then echo systemd; else echo no-systemd; fi
for f in /etc/systemd/logind.conf ${DROP_IN_DIRS.map(dir => `${dir}/*.conf`).join(' ')}; do
  [ -r "$f" ] || continue
  printf '@@file %s\\n' "$f"; cat -- "$f"; printf '\\n'
done
`

const BOOLEAN: Record<string, boolean> = {yes: true, true: true, on: true, 1: true, no: false, false: false, off: false, 0: false}

/**
 * The effective RemoveIPC from logind config files (path → text): the main
 * file first, then drop-ins sorted by file name (a name in /etc hides the same
 * name in /run and /usr/lib); the last assignment in [Login] wins. systemd's
 * default is yes.
 */
export function effectiveRemoveIpc(files: Record<string, string>): {value: boolean; source: string} {
  const main = files['/etc/systemd/logind.conf']
  const dropIns = new Map<string, string>()
  for (const dir of DROP_IN_DIRS) {
    for (const path of Object.keys(files).filter(p => p.startsWith(`${dir}/`))) dropIns.set(path.slice(dir.length + 1), path)
  }
  const ordered = [...(main === undefined ? [] : ['/etc/systemd/logind.conf']), ...[...dropIns.keys()].sort().map(name => dropIns.get(name)!)]
  let found = {value: true, source: 'systemd default'}
  for (const path of ordered) {
    let section = ''
    for (const raw of files[path].split('\n')) {
      const line = raw.trim()
      if (line.startsWith('[')) section = line
      const match = /^RemoveIPC\s*=\s*(\S*)/.exec(line)
      if (section === '[Login]' && match && match[1].toLowerCase() in BOOLEAN) found = {value: BOOLEAN[match[1].toLowerCase()], source: path}
    }
  }
  return found
}

export function parseLogindReport(text: string): {uid: number; systemd: boolean; files: Record<string, string>} {
  const [uid, systemd, ...rest] = text.split('\n')
  const files: Record<string, string> = {}
  let current: string | undefined
  for (const line of rest) {
    const header = /^@@file (.+)$/.exec(line)
    if (header) files[current = header[1]] = ''
    else if (current) files[current] += `${line}\n`
  }
  return {uid: Number(uid), systemd: systemd === 'systemd', files}
}

/**
 * systemd-logind's RemoveIPC=yes deletes a user's shared memory and
 * semaphores when their last session ends, in the middle of a run
 * (user-asks.md §1.1, storage#447, #460, #528). System users (uid < 1000) and
 * root are exempt.
 */
export const removeIpcCheck: PreflightCheck = {
  id: 'systemd.removeIPC',
  title: 'systemd-logind RemoveIPC',
  runsOn: 'hosts',
  async run(ctx, host): Promise<CheckResult> {
    const result = await ctx.shell(host).exec(['sh', '-c', SCRIPT], {timeoutMs: 30_000, signal: ctx.signal})
    if (result.exitCode === undefined) return {status: 'skip', detail: `not evaluable: ${result.failure}`}
    const report = parseLogindReport(result.stdout)
    if (!report.systemd) return {status: 'ok', detail: 'systemd is not running, so logind removes nothing'}
    const {value, source} = effectiveRemoveIpc(report.files)
    if (!value) return {status: 'ok', detail: `RemoveIPC=no (${source})`}
    if (report.uid < 1000) return {status: 'ok', detail: `RemoveIPC=yes (${source}), but uid ${report.uid} is a system user, which logind leaves alone`}
    return {
      status: 'warn', detail: `RemoveIPC=yes (${source}): when uid ${report.uid}'s last session ends, logind deletes its shared memory, and runs that outlive the login break`,
      fix: 'printf \'[Login]\\nRemoveIPC=no\\n\' > /etc/systemd/logind.conf.d/50-mlps.conf && systemctl restart systemd-logind',
    }
  },
}

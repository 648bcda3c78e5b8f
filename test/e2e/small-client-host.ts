import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {type CliResult, isolatedEnv, mlpsBin, repoRoot} from '../helpers/cli.js'

// STAND-IN for a small client host. Rule 3.1.2 sizes the dataset at 5 × the client memory a run measures
// (os.totalmem(), libuv's read of /proc/meminfo MemTotal; the cluster facts read the same file). This
// machine's 24 GiB would need ≥ 120 GiB of data, so the CLI runs in a private mount namespace where
// /proc/meminfo is a bind-mounted copy with a small MemTotal, as LXCFS shows a container its own
// memory. Nothing in mlps knows: every reader of memory sees the same figure, and no rule is weakened.

/** The client memory the stand-in shows: 256 MiB, so 5 × memory (1.34 GB) stays below cosmoflow's 500-step minimum (1.41 GB). */
export const SMALL_HOST_MEMORY_BYTES = 256 * 1024 ** 2

/** A copy of this host's /proc/meminfo saying MemTotal 256 MiB, with MemFree/MemAvailable no larger than it. */
export function writeSmallMeminfo(dir: string): string {
  const kib = SMALL_HOST_MEMORY_BYTES / 1024
  const capped: Record<string, number> = {MemTotal: kib, MemFree: kib / 2, MemAvailable: kib * 3 / 4}
  const text = readFileSync('/proc/meminfo', 'utf8').split('\n').map(line => {
    const key = line.split(':')[0]
    return key in capped ? `${`${key}:`.padEnd(16)}${String(capped[key]).padStart(8)} kB` : line
  }).join('\n')
  const file = join(dir, 'meminfo')
  writeFileSync(file, text)
  return file
}

/** The built CLI on the "small host": its own mount namespace with `meminfo` over /proc/meminfo (needs root). */
export async function runCliOnSmallHost(meminfo: string, args: string[], env: NodeJS.ProcessEnv = isolatedEnv()): Promise<CliResult> {
  const script = 'mount --bind "$1" /proc/meminfo && shift && exec "$@"'
  const result = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', meminfo, process.execPath, mlpsBin, ...args], {
    env, cwd: repoRoot, reject: false, extendEnv: false, stdin: 'ignore',
  })
  return {exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr)}
}

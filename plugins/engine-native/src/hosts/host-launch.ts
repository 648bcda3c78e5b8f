import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {RunContext} from 'mlps'
import {buildLaunch, detectLauncher, isLocalHost, type LaunchCommand} from 'mlps/unstable'
import type {NativeOptions} from '../native-options.js'
import {HOST_INDEX_VARIABLE} from './rendezvous-protocol.js'

/** How the workers were started: through an MPI or Slurm launcher, or one OpenSSH session per host. */
export type HostTransport = 'openmpi' | 'mpich' | 'slurm' | 'ssh' | 'local'

export interface HostLaunchPlan {
  transport: HostTransport
  /** one launch for a launcher; one per host over SSH */
  launches: Array<{command: LaunchCommand; host?: string}>
}

/** The worker program, at the same path on every host as mlps itself must be (as DLIO's ranks require). */
export function workerArgv(): string[] {
  const here = fileURLToPath(import.meta.url)
  const extension = path.extname(here)
  const entry = path.join(path.dirname(here), `host-worker-main${extension}`)
  // from source (the unit tests) the entry is TypeScript: tsx loads it
  return extension === '.ts' ? [process.execPath, '--import', 'tsx', entry] : [process.execPath, entry]
}

/** A word the remote shell passes on unchanged. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`
}

/**
 * One worker process per host, through the run's launcher (Open MPI, MPICH, srun) with one slot per
 * host, or over OpenSSH when `engines.native.launch` is ssh or no MPI is installed for remote hosts.
 * `env` reaches every worker (forwarded by the launcher, or set by `env` on the remote side).
 */
export async function planHostLaunches(ctx: RunContext, hosts: readonly string[], env: Record<string, string>): Promise<HostLaunchPlan> {
  const options = ctx.engineOptions as NativeOptions
  const slots = hosts.map(name => ({name}))
  const settings = ctx.config.launcher
  if (options.launch !== 'ssh') {
    const launcher = await detectLauncher({type: settings.type, bin: settings.bin, numProcesses: hosts.length, hosts: slots})
    const fallBackToSsh = launcher.kind === 'local' && settings.type === 'auto' && hosts.some(host => !isLocalHost(host))
    if (!fallBackToSsh) {
      const command = buildLaunch(launcher, {command: workerArgv(), numProcesses: hosts.length, hosts: slots, runId: ctx.runId, env, settings, hostsWhere: '--hosts'})
      return {transport: launcher.kind, launches: [{command}]}
    }
  }
  const ssh = ctx.config.ssh
  const sshOptions = [
    '-p', String(ssh.port), '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${Math.ceil(ssh.connectTimeoutSeconds)}`, '-o', `StrictHostKeyChecking=${ssh.strictHostKeyChecking}`,
    ...(ssh.identityFile ? ['-i', ssh.identityFile, '-o', 'IdentitiesOnly=yes'] : []),
    ...(ssh.knownHostsFile ? ['-o', `UserKnownHostsFile=${ssh.knownHostsFile}`] : []),
  ]
  const launches = hosts.map((host, index) => {
    const remote = ['env', ...Object.entries({...env, MLPS_RUN_ID: ctx.runId, [HOST_INDEX_VARIABLE]: String(index)}).map(([name, value]) => `${name}=${value}`), ...workerArgv()]
    const argv = ['ssh', ...sshOptions, ssh.user ? `${ssh.user}@${host}` : host, '--', remote.map(shellQuote).join(' ')]
    // each session its own id for the launch layer's stray sweep, which would otherwise take the sessions still running for strays of the first that ends
    const command = buildLaunch({kind: 'local'}, {command: argv, numProcesses: 1, hosts: [{name: 'localhost'}], runId: `${ctx.runId}.${index}`, settings: {...settings, extraArgs: [], envAllowList: []}})
    return {command, host}
  })
  return {transport: 'ssh', launches}
}

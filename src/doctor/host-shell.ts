import {execa} from 'execa'
import type {MlpsConfig} from '../config/schema.js'
import {shellWord} from './install-hints.js'

export interface ShellResult {
  /** undefined when the program could not be started (not found) or the connection failed */
  exitCode?: number
  stdout: string
  stderr: string
  /** why nothing ran: the program is missing, the host could not be reached, the time ran out */
  failure?: string
}

/** Run argv on one host; never through a local shell, and values stay data on the remote one too. */
export interface HostShell {
  readonly host: string
  readonly local: boolean
  exec(argv: readonly string[], options?: {timeoutMs?: number; signal?: AbortSignal}): Promise<ShellResult>
}

const DEFAULT_TIMEOUT_MS = 60_000
/** OpenSSH's exit status when the connection itself failed */
const SSH_CONNECTION_FAILED = 255

export function localShell(host: string): HostShell {
  return {
    host,
    local: true,
    async exec(argv, options = {}) {
      const [file, ...args] = argv
      const result = await execa(file, args, {
        reject: false, stdin: 'ignore', timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, cancelSignal: options.signal, encoding: 'utf8',
      })
      const failure = result.timedOut ? `${file} did not finish within ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s`
        : (result as {code?: string}).code === 'ENOENT' ? `${file} was not found` : result.exitCode === undefined ? result.shortMessage : undefined
      return {exitCode: failure ? undefined : result.exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), failure}
    },
  }
}

/**
 * The OpenSSH client's argv for `config.ssh`: batch mode (never a password
 * prompt), the configured port, identity, known_hosts and host-key policy.
 */
export function sshArgv(config: MlpsConfig, host: string): string[] {
  const {ssh} = config
  return [
    '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${Math.ceil(ssh.connectTimeoutSeconds)}`, '-o', 'LogLevel=ERROR',
    '-o', `StrictHostKeyChecking=${ssh.strictHostKeyChecking}`, '-p', String(ssh.port),
    ...(ssh.identityFile ? ['-i', ssh.identityFile, '-o', 'IdentitiesOnly=yes'] : []),
    ...(ssh.knownHostsFile ? ['-o', `UserKnownHostsFile=${ssh.knownHostsFile}`] : []),
    ...(ssh.user ? ['-l', ssh.user] : []),
    '--', host,
  ]
}

/**
 * A host reached with the OpenSSH client. SSH carries one command string,
 * which the remote login shell splits: every word is quoted, so a value
 * stays one word there too.
 */
export function sshShell(host: string, config: MlpsConfig): HostShell {
  const base = sshArgv(config, host)
  return {
    host,
    local: false,
    async exec(argv, options = {}) {
      const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
      const result = await execa('ssh', [...base, argv.map(shellWord).join(' ')], {
        reject: false, stdin: 'ignore', timeout: timeoutMs + config.ssh.connectTimeoutSeconds * 1000, cancelSignal: options.signal, encoding: 'utf8',
      })
      const stderr = String(result.stderr ?? '')
      let failure: string | undefined
      if (result.timedOut) failure = `no answer from ${host} within ${timeoutMs / 1000} s`
      else if ((result as {code?: string}).code === 'ENOENT') failure = 'the OpenSSH client (ssh) is not installed here'
      else if (result.exitCode === SSH_CONNECTION_FAILED) failure = `ssh to ${host} failed: ${stderr.trim().split('\n').pop() || 'connection failed'}`
      return {exitCode: failure ? undefined : result.exitCode, stdout: String(result.stdout ?? ''), stderr, failure}
    },
  }
}

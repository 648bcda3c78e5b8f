import {readFileSync} from 'node:fs'
import {homedir, userInfo} from 'node:os'
import {join} from 'node:path'
import {type MlpsConfig, MlpsError} from 'mlps'
import ssh2 from 'ssh2'
import {type KnownHostEntry, parseKnownHosts} from './known-hosts.js'

/** How long a host may take to run the gatherer once connected. */
export const COMMAND_TIMEOUT_SECONDS = 30

export interface SshSettings {
  user: string
  port: number
  privateKey?: Buffer
  /** path of the ssh-agent socket (SSH_AUTH_SOCK) */
  agent?: string
  knownHosts: KnownHostEntry[]
  /** where accept-new records a host it has not seen */
  knownHostsFile: string
  strict: boolean
  connectTimeoutMs: number
  commandTimeoutMs: number
  concurrency: number
}

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa']

/**
 * The SSH settings of `config.ssh`, resolved once per collection: the
 * identity (ssh.identityFile, else the first of ~/.ssh/id_{ed25519,ecdsa,rsa}
 * that needs no passphrase) and/or the agent, and the known_hosts entries.
 */
export function resolveSshSettings(config: MlpsConfig, env: NodeJS.ProcessEnv = process.env): SshSettings {
  const ssh = config.ssh
  const home = env.HOME ?? homedir()
  const agent = env.SSH_AUTH_SOCK || undefined
  let privateKey: Buffer | undefined
  if (ssh.identityFile) {
    privateKey = readIdentity(ssh.identityFile, true)
  } else {
    for (const name of DEFAULT_IDENTITIES) {
      privateKey = readIdentity(join(home, '.ssh', name), false)
      if (privateKey) break
    }
  }
  if (!privateKey && !agent) {
    throw new MlpsError('no SSH identity: ssh.identityFile is not set, ~/.ssh has no usable id_ed25519/id_ecdsa/id_rsa, and no ssh-agent is running', {
      where: 'ssh.identityFile', fix: 'set ssh.identityFile in the config, or start ssh-agent and ssh-add your key',
    })
  }
  const userFile = ssh.knownHostsFile ?? join(home, '.ssh', 'known_hosts')
  const files = ssh.knownHostsFile ? [ssh.knownHostsFile] : [userFile, '/etc/ssh/ssh_known_hosts']
  return {
    user: ssh.user ?? userInfo().username,
    port: ssh.port,
    privateKey,
    agent,
    knownHosts: files.flatMap(file => parseKnownHosts(readOptional(file))),
    knownHostsFile: userFile,
    strict: ssh.strictHostKeyChecking === 'yes',
    connectTimeoutMs: ssh.connectTimeoutSeconds * 1000,
    commandTimeoutMs: COMMAND_TIMEOUT_SECONDS * 1000,
    concurrency: ssh.concurrency,
  }
}

function readIdentity(path: string, required: boolean): Buffer | undefined {
  let key: Buffer
  try {
    key = readFileSync(path)
  } catch (error) {
    if (!required) return undefined
    throw new MlpsError(`cannot read the SSH identity ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      where: 'ssh.identityFile', fix: 'point ssh.identityFile at a private key file you can read',
    })
  }
  const parsed = ssh2.utils.parseKey(key)
  if (parsed instanceof Error) {
    if (!required) return undefined
    const encrypted = /passphrase|encrypted/i.test(parsed.message)
    throw new MlpsError(`${path} ${encrypted ? 'is protected by a passphrase' : `is not a private key mlps can use (${parsed.message})`}`, {
      where: 'ssh.identityFile', fix: encrypted ? 'load it into ssh-agent (ssh-add) and leave ssh.identityFile unset' : 'use an OpenSSH or PEM private key (ed25519, ecdsa or rsa)',
    })
  }
  return key
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

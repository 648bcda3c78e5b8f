import {readFileSync} from 'node:fs'
import {homedir, userInfo} from 'node:os'
import {join} from 'node:path'
import {type MlpsConfig, MlpsError} from 'mlps'
import ssh2 from 'ssh2'
import {type KnownHostEntry, parseKnownHosts} from './known-hosts.js'
import {parseJumpHop, SshConfig} from './ssh-config.js'

/** How long a host may take to run the gatherer once connected. */
export const COMMAND_TIMEOUT_SECONDS = 30

/** Where one SSH connection goes: the address (also its known_hosts name), port, user and key. */
export interface SshEndpoint {
  host: string
  port: number
  user: string
  privateKey?: Buffer
}

/** The hops to a host (ProxyJump), then the host itself. */
export interface SshRoute {
  jumps: SshEndpoint[]
  target: SshEndpoint
}

export interface SshSettings {
  /** the route to a host as ~/.ssh/config describes it (aliases, HostName, Port, User, IdentityFile, ProxyJump) */
  route(host: string): SshRoute
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
 * Per host, ~/.ssh/config (then /etc/ssh/ssh_config) is honoured as the
 * user's other tools honour it: a Host alias's HostName, Port, User,
 * IdentityFile and ProxyJump apply to that host over mlps's ssh.port and
 * ssh.user, which stand for every host; ssh.identityFile, an explicit
 * choice, is still tried first.
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
  const sshConfig = SshConfig.read(home)
  if (!privateKey && !agent && !sshConfig.mentionsIdentity()) {
    throw new MlpsError('no SSH identity: ssh.identityFile is not set, ~/.ssh has no usable id_ed25519/id_ecdsa/id_rsa, and no ssh-agent is running', {
      where: 'ssh.identityFile', fix: 'set ssh.identityFile in the config, or start ssh-agent and ssh-add your key',
    })
  }
  const userFile = ssh.knownHostsFile ?? join(home, '.ssh', 'known_hosts')
  const files = ssh.knownHostsFile ? [ssh.knownHostsFile] : [userFile, '/etc/ssh/ssh_known_hosts']
  const localUser = userInfo().username
  const endpoint = (name: string, over: {user?: string; port?: number} = {}): SshEndpoint => {
    const host = sshConfig.forHost(name, home, localUser)
    const explicitKey = ssh.identityFile ? privateKey : undefined
    const hostKey = host.identityFiles.map(file => readIdentity(file, false)).find(Boolean)
    return {host: host.hostName ?? name, port: over.port ?? host.port ?? ssh.port, user: over.user ?? host.user ?? ssh.user ?? localUser, privateKey: explicitKey ?? hostKey ?? privateKey}
  }
  return {
    route(name) {
      const hops = sshConfig.forHost(name, home, localUser).proxyJump ?? []
      return {jumps: hops.map(parseJumpHop).map(hop => endpoint(hop.host, hop)), target: endpoint(name)}
    },
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

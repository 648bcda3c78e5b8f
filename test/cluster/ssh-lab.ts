import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'
import {tempDir} from '../helpers/cli.js'

export const SSHD = '/usr/sbin/sshd'

export interface SshdOptions {
  /** public key lines allowed to log in; defaults to the lab's user key */
  authorizedKeys?: string
  /** host key to serve; defaults to a fresh one for this address */
  hostKey?: string
}

/**
 * Real OpenSSH servers on loopback addresses (127.0.0.2, 127.0.0.3, ...),
 * one port for all, each with its own host key and config in a temporary
 * folder (ecosystem.md §5.2 "Real OpenSSH on loopback"). Each address plays
 * one cluster host.
 */
export class SshLab {
  readonly userKey: string
  readonly otherUserKey: string
  readonly knownHostsFile: string
  private readonly servers: ChildProcess[] = []
  private readonly sockets: net.Server[] = []

  private constructor(readonly port: number, readonly dir: string) {
    this.userKey = join(dir, 'id_ed25519')
    this.otherUserKey = join(dir, 'id_other')
    this.knownHostsFile = join(dir, 'known_hosts')
    mkdirSync(dir, {recursive: true})
    keygen(this.userKey)
    keygen(this.otherUserKey)
    mkdirSync('/run/sshd', {recursive: true})
  }

  /** A lab whose port is free on 127.0.0.2 .. 127.0.0.<addresses + 1>, its files in `dir` (a new temporary folder by default). */
  static async create(addresses = 8, dir = tempDir('mlps-sshlab-')): Promise<SshLab> {
    return new SshLab(await freePort(Array.from({length: addresses}, (_, i) => `127.0.0.${i + 2}`)), dir)
  }

  hostKey(address: string): string {
    const path = join(this.dir, `host_${address}`)
    try {
      readFileSync(path)
    } catch {
      keygen(path)
    }
    return path
  }

  publicKey(privateKeyPath: string): string {
    return readFileSync(`${privateKeyPath}.pub`, 'utf8').trim()
  }

  async startSshd(address: string, options: SshdOptions = {}): Promise<ChildProcess> {
    const hostKey = options.hostKey ?? this.hostKey(address)
    const authorized = join(this.dir, `authorized_${address}`)
    writeFileSync(authorized, `${options.authorizedKeys ?? this.publicKey(this.userKey)}\n`)
    const config = join(this.dir, `sshd_${address}.conf`)
    writeFileSync(config, [
      `ListenAddress ${address}:${this.port}`, `HostKey ${hostKey}`, `PidFile ${join(this.dir, `sshd_${address}.pid`)}`,
      `AuthorizedKeysFile ${authorized}`, 'PasswordAuthentication no', 'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password', 'UsePAM no', 'StrictModes no', 'MaxStartups 200', 'LogLevel ERROR', '',
    ].join('\n'))
    const server = spawn(SSHD, ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    server.stderr!.on('data', chunk => { stderr += chunk })
    this.servers.push(server)
    for (let attempt = 0; attempt < 200; attempt++) {
      if (server.exitCode !== null) throw new Error(`sshd on ${address}:${this.port} exited: ${stderr}`)
      if (await accepts(address, this.port)) return server
      await delay(25)
    }
    throw new Error(`sshd on ${address}:${this.port} did not start: ${stderr}`)
  }

  /** A TCP listener that accepts and never speaks SSH: the handshake times out. */
  async startBlackHole(address: string): Promise<void> {
    const server = net.createServer(() => {})
    await new Promise<void>(resolve => server.listen(this.port, address, resolve))
    this.sockets.push(server)
  }

  /** known_hosts lines for address:port with the given host public key; hashed (ssh-keygen -H) when asked. */
  knownHostsLines(entries: Array<{address: string; hostKey: string; hashed?: boolean}>): string {
    const plain = entries.map(e => `[${e.address}]:${this.port} ${this.publicKey(e.hostKey).split(' ').slice(0, 2).join(' ')}`)
    const hashedFile = join(this.dir, 'to_hash')
    writeFileSync(hashedFile, plain.filter((_, i) => entries[i].hashed).join('\n') + '\n')
    execFileSync('ssh-keygen', ['-H', '-f', hashedFile], {stdio: 'ignore'})
    const hashed = readFileSync(hashedFile, 'utf8').split('\n').filter(line => line.startsWith('|1|'))
    return [...plain.filter((_, i) => !entries[i].hashed), ...hashed].join('\n') + '\n'
  }

  /** The sshd processes this lab started and that still run. */
  pids(): number[] {
    return this.servers.filter(server => server.exitCode === null && server.signalCode === null && server.pid !== undefined).map(server => server.pid!)
  }

  async stop(): Promise<void> {
    const exited = this.servers.filter(server => server.exitCode === null && server.signalCode === null).map(server => new Promise(resolve => server.once('exit', resolve)))
    for (const server of this.servers) {
      // the processes serving open connections outlive their listener and hold its stderr open: they go too
      for (const child of servedBy(server.pid)) process.kill(child, 'SIGTERM')
      server.kill('SIGTERM')
    }
    for (const socket of this.sockets) socket.close()
    await Promise.all(exited)
    for (const server of this.servers) server.stderr?.destroy()
    rmSync(this.dir, {recursive: true, force: true})
  }
}

/** the processes a listening sshd forked for the connections it serves */
function servedBy(pid: number | undefined): number[] {
  if (pid === undefined) return []
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
  } catch {
    return []
  }
}

function keygen(path: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'mlps-test', '-f', path], {stdio: 'ignore'})
}

function accepts(address: string, port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({host: address, port})
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

/** A port free on every address (one port for all hosts, as ssh.port is one setting). */
async function freePort(addresses: string[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000)
    const ok = await Promise.all(addresses.map(address => new Promise<boolean>(resolve => {
      const probe = net.createServer()
      probe.once('error', () => resolve(false))
      probe.listen(port, address, () => probe.close(() => resolve(true)))
    })))
    if (ok.every(Boolean)) return port
  }
  throw new Error('no free port on the loopback addresses')
}

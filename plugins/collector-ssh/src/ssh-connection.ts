import {appendFile, mkdir} from 'node:fs/promises'
import {connect as connectTcp, type Socket} from 'node:net'
import {dirname} from 'node:path'
import ssh2 from 'ssh2'
import {classifySshError, HostError} from './host-error.js'
import {keyTypeOf, knownHostsName, knownKeyTypes, verifyHostKey} from './known-hosts.js'
import type {SshEndpoint, SshSettings} from './ssh-settings.js'

/** known_hosts key type → the host key algorithms a server may sign with for it */
const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
}

export interface SshConnection {
  client: ssh2.Client
  /** the TCP connection to the first hop, which carries every hop after it */
  socket: Socket
}

/**
 * Open one SSH connection to `host` along its route (~/.ssh/config: alias,
 * port, user, key; through each ProxyJump hop in turn, as `ssh -J` does),
 * every host key checked against known_hosts (never ssh2's default of
 * accepting any key, ecosystem.md §5.2) and every failure turned into a
 * classified HostError. Closing the returned client closes the hops.
 */
export async function connect(host: string, settings: SshSettings, signal?: AbortSignal): Promise<SshConnection> {
  const {jumps, target} = settings.route(host)
  const opened: ssh2.Client[] = []
  const first = jumps[0] ?? target
  // opened here rather than by ssh2, so that an idle pooled connection can let the process exit (ssh-pool.ts)
  const socket = connectTcp({host: first.host, port: first.port})
  try {
    let sock: NodeJS.ReadableStream = socket
    for (const [index, hop] of [...jumps, target].entries()) {
      if (index > 0) sock = await forward(opened[index - 1], hop)
      opened.push(await connectEndpoint(hop, settings, signal, sock))
    }
  } catch (error) {
    socket.destroy()
    for (const client of opened) client.end()
    throw jumps.length > 0 && error instanceof HostError ? new HostError(error.reason, `${error.message} (via ProxyJump ${jumps.map(hop => hop.host).join(',')})`) : error
  }
  const client = opened.at(-1)!
  if (opened.length > 1) client.once('close', () => { for (const hop of opened.slice(0, -1)) hop.end() })
  return {client, socket}
}

function forward(through: ssh2.Client, to: SshEndpoint): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    through.forwardOut('127.0.0.1', 0, to.host, to.port, (error, stream) => {
      if (error) reject(new HostError('unreachable', `the jump host could not reach ${to.host}:${to.port}: ${error.message}`))
      else resolve(stream)
    })
  })
}

function connectEndpoint(endpoint: SshEndpoint, settings: SshSettings, signal: AbortSignal | undefined, sock: NodeJS.ReadableStream): Promise<ssh2.Client> {
  const {host, port} = endpoint
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client()
    let keyProblem: HostError | undefined
    let newKeyLine: string | undefined
    let settled = false
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      client.end()
      reject(keyProblem ?? classifySshError(error))
    }
    const onAbort = () => fail(new HostError('error', 'collection was cancelled'))
    signal?.addEventListener('abort', onAbort, {once: true})
    client.on('error', fail)
    client.on('close', () => fail(new HostError('protocol', 'the connection closed during the handshake')))
    client.on('ready', () => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      const record = newKeyLine ? recordHostKey(settings.knownHostsFile, newKeyLine) : Promise.resolve()
      record.then(() => resolve(client), error => {
        client.end()
        reject(new HostError('error', `accepted the new host key but could not record it in ${settings.knownHostsFile}: ${(error as Error).message}`))
      })
    })
    const knownTypes = knownKeyTypes(settings.knownHosts, host, port)
    const algorithms = knownTypes.flatMap(type => HOST_KEY_ALGORITHMS[type] ?? [])
    try {
      client.connect({
        host,
        port,
        sock: sock as unknown as ssh2.ConnectConfig['sock'],
        username: endpoint.user,
        privateKey: endpoint.privateKey,
        agent: settings.agent,
        readyTimeout: settings.connectTimeoutMs,
        // ask for a key type known_hosts has, as OpenSSH does, so a host with several keys is not taken for a changed one
        ...(algorithms.length > 0 ? {algorithms: {serverHostKey: algorithms as ssh2.ServerHostKeyAlgorithm[]}} : {}),
        hostVerifier: (key: Buffer) => {
          const verdict = verifyHostKey(settings.knownHosts, host, port, key)
          const name = knownHostsName(host, port)
          if (verdict === 'match') return true
          if (verdict === 'unknown' && !settings.strict) {
            newKeyLine = `${name} ${keyTypeOf(key)} ${key.toString('base64')}\n`
            return true
          }
          keyProblem = verdict === 'unknown'
            ? new HostError('host-key-unknown', `${name} is not in known_hosts and strictHostKeyChecking is yes`)
            : new HostError('host-key-mismatch', `the ${keyTypeOf(key)} host key ${name} presented ${verdict === 'revoked' ? 'is revoked' : 'differs from the one in known_hosts'}`)
          return false
        },
      })
    } catch (error) {
      fail(error)
    }
  })
}

export interface ExecResult {
  code: number | null
  stderr: string
  /** controller clock (Date.now) when the exec request went out and when the first output arrived */
  sentMs: number
  firstOutputMs?: number
}

/**
 * Run `sh -s` with `program` on its stdin, feeding stdout to `onStdout` as
 * it arrives; resolves on the channel's 'close' (its 'exit' can come before
 * the last data, ecosystem.md §5.2).
 */
export function execProgram(client: ssh2.Client, program: string, onStdout: (text: string) => void, options: {timeoutMs?: number; onChannel?: (channel: ssh2.ClientChannel) => void} = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const sentMs = Date.now()
    client.exec('sh -s', (error, channel) => {
      if (error) {
        reject(new HostError('command', `could not start sh: ${error.message}`))
        return
      }
      options.onChannel?.(channel)
      const result: ExecResult = {code: null, stderr: '', sentMs}
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
        channel.close()
        reject(new HostError('timeout', `the gatherer did not finish within ${options.timeoutMs! / 1000} s`))
      }, options.timeoutMs)
      channel.setEncoding('utf8')
      channel.on('data', (text: string) => {
        result.firstOutputMs ??= Date.now()
        onStdout(text)
      })
      channel.stderr.setEncoding('utf8')
      channel.stderr.on('data', (text: string) => {
        if (result.stderr.length < 4096) result.stderr += text
      })
      channel.on('exit', (code: number | null) => {
        result.code = code
      })
      channel.on('error', (channelError: Error) => reject(new HostError('error', channelError.message)))
      channel.on('close', () => {
        clearTimeout(timer)
        resolve(result)
      })
      channel.end(program)
    })
  })
}

async function recordHostKey(file: string, line: string): Promise<void> {
  await mkdir(dirname(file), {recursive: true, mode: 0o700})
  // one short line with O_APPEND: concurrent hosts cannot interleave inside it
  await appendFile(file, line, {mode: 0o600})
}

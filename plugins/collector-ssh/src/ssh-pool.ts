import {createHash} from 'node:crypto'
import type ssh2 from 'ssh2'
import {connect, type SshConnection} from './ssh-connection.js'
import type {SshSettings} from './ssh-settings.js'

/** One use of a pooled connection; `release` when done with it, `discard` when it failed. */
export interface SshLease {
  client: ssh2.Client
  /** the connection served an earlier lease: a failure may be its staleness, worth one fresh attempt */
  reused: boolean
  release(): void
  discard(): void
}

interface Pooled {
  connection: SshConnection
  leases: number
  served: number
}

/**
 * SSH connections kept for the life of the process, one per host and
 * credentials: a run's start snapshot, its sampler and its end snapshot share
 * one handshake per host, which costs sshd far more CPU than the gathering
 * itself (bench/cluster.ts measures both). An idle connection does not hold
 * the process open; a closed one leaves the pool.
 */
const pool = new Map<string, Promise<Pooled>>()

export async function leaseConnection(host: string, settings: SshSettings, signal?: AbortSignal): Promise<SshLease> {
  const key = poolKey(host, settings)
  let entry = pool.get(key)
  if (!entry) {
    entry = open(key, host, settings, signal)
    pool.set(key, entry)
    entry.catch(() => {
      if (pool.get(key) === entry) pool.delete(key)
    })
  }
  const pooled = await entry
  const reused = pooled.served > 0
  pooled.served++
  pooled.leases++
  pooled.connection.socket.ref()
  let returned = false
  const giveBack = () => {
    if (returned) return false
    returned = true
    pooled.leases--
    if (pooled.leases === 0) pooled.connection.socket.unref()
    return true
  }
  return {
    client: pooled.connection.client,
    reused,
    release: giveBack,
    discard() {
      if (!giveBack()) return
      if (pool.get(key) === entry) pool.delete(key)
      pooled.connection.client.end()
    },
  }
}

async function open(key: string, host: string, settings: SshSettings, signal?: AbortSignal): Promise<Pooled> {
  const connection = await connect(host, settings, signal)
  const pooled: Pooled = {connection, leases: 0, served: 0}
  const entry = pool.get(key)
  const evict = () => {
    if (pool.get(key) === entry) pool.delete(key)
  }
  connection.client.once('close', evict)
  connection.client.on('error', evict)
  return pooled
}

/** the route and everything that decides whether a connection would be accepted: a changed key or known_hosts is another connection */
function poolKey(host: string, settings: SshSettings): string {
  const {jumps, target} = settings.route(host)
  const digest = (value?: Buffer) => value ? createHash('sha256').update(value).digest('hex') : undefined
  return JSON.stringify({
    hops: [...jumps, target].map(hop => ({host: hop.host, port: hop.port, user: hop.user, key: digest(hop.privateKey)})),
    agent: settings.agent,
    knownHosts: digest(Buffer.from(JSON.stringify(settings.knownHosts))),
    strict: settings.strict,
  })
}

/** Close every pooled connection no one is using, e.g. before the hosts' sshd are stopped. */
export async function closeIdleConnections(): Promise<void> {
  const entries = await Promise.allSettled([...pool.values()])
  for (const entry of entries) {
    if (entry.status === 'fulfilled' && entry.value.leases === 0) entry.value.connection.client.end()
  }
}

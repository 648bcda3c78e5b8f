import dgram from 'node:dgram'
import {lookup} from 'node:dns/promises'
import {isLocalHost} from 'mlps/unstable'

/**
 * The address of this machine that `host` can reach it at: the source address the kernel picks for
 * the route to it (a connected UDP socket sends nothing). Every host local: the loopback address.
 */
export async function addressFacing(hosts: readonly string[]): Promise<string> {
  const remote = hosts.find(host => !isLocalHost(host))
  if (!remote) return '127.0.0.1'
  const {address, family} = await lookup(remote)
  const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4')
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.connect(9, address, () => resolve())
    })
    return socket.address().address
  } finally {
    socket.close()
  }
}

/** `host:port`, bracketing an IPv6 address. */
export function joinAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

import {MlpsError, type HostSlot} from 'mlps'

/**
 * Which ranks run on which host, as the reference's mpirun prefix places
 * them (mlpstorage-spec.md §2.3, §3.4): without slots the processes are
 * spread evenly with the remainder on the first hosts; with `host:slots`
 * the slots must hold them all. Several hosts are mapped `--map-by node`,
 * i.e. rank r goes to the next host in turn that still has a free slot.
 */
export function placeRanks(hosts: readonly HostSlot[], processes: number): number[][] {
  if (hosts.length === 0) throw new MlpsError('no hosts to place the processes on', {where: '--hosts', fix: 'pass --hosts localhost, or hosts in the config'})
  const withSlots = hosts.some(host => host.slots !== undefined)
  let capacity: number[]
  if (withSlots) {
    capacity = hosts.map(host => host.slots ?? 0)
    const total = capacity.reduce((a, b) => a + b, 0)
    if (total < processes) {
      throw new MlpsError(`the hosts' slots (${total}) cannot hold ${processes} processes`, {where: '--hosts', fix: 'add slots (host:N) or hosts, or lower --num-processes'})
    }
  } else {
    const base = Math.floor(processes / hosts.length)
    const remainder = processes % hosts.length
    capacity = hosts.map((_, i) => base + (i < remainder ? 1 : 0))
  }
  const placed: number[][] = hosts.map(() => [])
  let host = 0
  for (let rank = 0; rank < processes; rank++) {
    while (placed[host].length >= capacity[host]) host = (host + 1) % hosts.length
    placed[host].push(rank)
    if (hosts.length > 1) host = (host + 1) % hosts.length
  }
  return placed
}

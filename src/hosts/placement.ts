import {MlpsError} from '../errors.js'
import type {HostSlot} from '../lifecycle/run-context.js'

export interface HostRanks {
  name: string
  /** ranks this host runs */
  ranks: number
  /** the slots the user gave, when they gave any */
  slots?: number
}

export interface RankPlacement {
  /** in the order given; with slots every host is listed, even one that runs no rank */
  hosts: HostRanks[]
  numProcesses: number
  /** true when the user gave slots: the launcher is told the capacities, not the counts */
  slotsGiven: boolean
}

/**
 * The ranks the hosts take when they give slots (a host without slots among hosts with slots offers
 * one, as in Open MPI's `--host`); undefined when none gives slots, and ranks are spread without bound.
 */
export function offeredSlots(hosts: readonly HostSlot[]): number | undefined {
  if (!hosts.some(host => host.slots !== undefined)) return undefined
  return hosts.reduce((sum, host) => sum + (host.slots ?? 1), 0)
}

/**
 * Decide how many ranks each host runs (mlpstorage-spec.md §3.4, generate_mpi_prefix_cmd).
 * Without slots the ranks are spread evenly, the remainder going one each to the first hosts; a host
 * that would get none is left out (the reference emitted `host:0`, §12.1 item 14). With slots, they
 * are capacities: too few in total is an error before anything runs, and the ranks are dealt round
 * robin within them, as `--map-by node` does. A host without slots among hosts with slots offers
 * one, as it does in OpenMPI's `--host`.
 */
export function placeRanks(hosts: readonly HostSlot[], numProcesses: number, where = '--hosts'): RankPlacement {
  if (!Number.isSafeInteger(numProcesses) || numProcesses < 1) {
    throw new MlpsError(`${numProcesses} processes asked; at least 1 is needed`, {where: 'process count', fix: 'ask for one process or more'})
  }
  if (hosts.length === 0) throw new MlpsError('no hosts given', {where, fix: 'give at least one host, e.g. --hosts localhost'})
  const slotsGiven = hosts.some(host => host.slots !== undefined)
  if (!slotsGiven) {
    const base = Math.floor(numProcesses / hosts.length)
    const remainder = numProcesses % hosts.length
    const placed = hosts.map((host, i) => ({name: host.name, ranks: base + (i < remainder ? 1 : 0)})).filter(host => host.ranks > 0)
    return {hosts: placed, numProcesses, slotsGiven}
  }
  const capacity = hosts.map(host => host.slots ?? 1)
  const total = offeredSlots(hosts)!
  if (total < numProcesses) {
    throw new MlpsError(`the hosts offer ${total} slot${total === 1 ? '' : 's'} but ${numProcesses} processes are asked`, {
      where, fix: `give more slots (e.g. ${hosts[0].name}:${Math.ceil(numProcesses / hosts.length)} for each host), more hosts, or fewer processes`,
    })
  }
  const ranks = hosts.map(() => 0)
  for (let left = numProcesses; left > 0;) {
    for (let i = 0; i < hosts.length && left > 0; i++) {
      if (ranks[i] < capacity[i]) {
        ranks[i]++
        left--
      }
    }
  }
  // every host stays listed: the reference hands mpirun the slots as given (ranks may be 0 here)
  return {hosts: hosts.map((host, i) => ({name: host.name, ranks: ranks[i], slots: capacity[i]})), numProcesses, slotsGiven}
}

/** The host of each rank when ranks are dealt round robin over the hosts (Open MPI's `--map-by node`; all on one host trivially). */
export function hostsRoundRobin(placement: RankPlacement): string[] {
  const hosts = placement.hosts.filter(host => host.ranks > 0)
  const left = hosts.map(host => host.ranks)
  const order: string[] = []
  while (left.some(count => count > 0)) {
    for (let i = 0; i < hosts.length; i++) {
      if (left[i] === 0) continue
      order.push(hosts[i].name)
      left[i]--
    }
  }
  return order
}

import {LIMITS} from '../command/limits.js'
import {MlpsError} from '../errors.js'
import type {Finding} from '../verify/finding.js'
import type {HostSlot} from '../lifecycle/run-context.js'
import {parseHosts} from './parse-hosts.js'

/** The hosts of the Slurm allocation this process runs in, and the variables they were read from. */
export interface SlurmAllocation {
  hosts: HostSlot[]
  /** e.g. {SLURM_JOB_NODELIST: 'node[01-02]', SLURM_TASKS_PER_NODE: '2(x2)'} */
  variables: Record<string, string>
}

// SLURM_JOB_NODELIST since Slurm 2.x; SLURM_NODELIST is its older name, still set by salloc and sbatch
const NODELIST_VARIABLES = ['SLURM_JOB_NODELIST', 'SLURM_NODELIST'] as const

/**
 * The allocation's nodes as hosts, with the tasks Slurm gives each as its slots: inside `salloc` or a
 * batch job (SLURM_JOB_NODELIST, in Slurm's hostlist syntax `node[01-04,07]`), undefined outside one.
 * Slots come from SLURM_TASKS_PER_NODE (`2(x3),1`: two tasks on each of the first three nodes, one on
 * the fourth), else SLURM_NTASKS_PER_NODE (one count for every node); without either the nodes offer
 * no slots and ranks are spread evenly, as for `--hosts` without counts.
 */
export function slurmAllocation(env: NodeJS.ProcessEnv): SlurmAllocation | undefined {
  const variable = NODELIST_VARIABLES.find(name => env[name]?.trim())
  if (!variable) return undefined
  const nodelist = env[variable]!.trim()
  const names = parseHosts([nodelist], variable)
  if (names.some(host => host.slots !== undefined)) {
    throw new MlpsError(`${variable}="${nodelist}" is not a Slurm node list (it gives slots after a colon)`, {where: variable, fix: 'run inside an allocation made by salloc or sbatch, or give --hosts'})
  }
  const variables: Record<string, string> = {[variable]: nodelist}
  const perNode = env.SLURM_TASKS_PER_NODE?.trim()
  const uniform = env.SLURM_NTASKS_PER_NODE?.trim()
  let slots: number[] | undefined
  if (perNode) {
    variables.SLURM_TASKS_PER_NODE = perNode
    slots = expandTasksPerNode(perNode, names.length, 'SLURM_TASKS_PER_NODE')
  } else if (uniform) {
    variables.SLURM_NTASKS_PER_NODE = uniform
    slots = names.map(() => taskCount(uniform, 'SLURM_NTASKS_PER_NODE'))
  }
  return {hosts: names.map((host, i) => slots ? {name: host.name, slots: slots[i]} : {name: host.name}), variables}
}

/** What a run records (and says) when it took its hosts from the allocation. */
export function slurmAllocationFinding(allocation: SlurmAllocation): Finding {
  const where = Object.entries(allocation.variables).map(([name, value]) => `${name}=${value}`).join(', ')
  const hosts = allocation.hosts.map(host => host.slots === undefined ? host.name : `${host.name}:${host.slots}`).join(',')
  return {
    ruleId: 'mlps.hosts.slurmAllocation', severity: 'info', kind: 'environment',
    message: `no hosts given: using the Slurm allocation's nodes ${hosts} (${where})`,
    fix: 'give --hosts or --hostfile to run on other hosts', evidence: Object.entries(allocation.variables).map(([name, value]) => ({path: `env.${name}`, value})),
  }
}

/** Slurm's compressed per-node counts (`2(x3),1`) as one count per node; they must cover exactly the `nodes` of the list. */
export function expandTasksPerNode(text: string, nodes: number, where: string): number[] {
  const runs = text.split(',').map(part => {
    const match = /^(\d+)(?:\(x(\d+)\))?$/.exec(part.trim())
    if (!match) throw new MlpsError(`${where}="${text}" has "${part}", which is not a count or count(xN)`, {where, fix: 'Slurm writes it as e.g. 2(x3),1; run inside an allocation made by salloc or sbatch, or give --hosts'})
    return {count: taskCount(match[1], where), repeat: match[2] === undefined ? 1 : Number(match[2])}
  })
  const covered = runs.reduce((sum, run) => sum + run.repeat, 0)
  if (covered !== nodes) {
    throw new MlpsError(`${where}="${text}" gives counts for ${covered} node${covered === 1 ? '' : 's'} but the node list has ${nodes}`, {
      where, fix: 'the variables come from different allocations: run inside one allocation, or give --hosts',
    })
  }
  return runs.flatMap(run => Array.from({length: run.repeat}, () => run.count))
}

function taskCount(text: string, where: string): number {
  const count = Number(text)
  if (!/^\d+$/.test(text) || count < 1 || count > LIMITS.ranksPerHost) {
    throw new MlpsError(`${where} gives "${text}" tasks for a node`, {where, fix: `Slurm gives 1 to ${LIMITS.ranksPerHost} tasks per node; run inside an allocation made by salloc or sbatch, or give --hosts`})
  }
  return count
}

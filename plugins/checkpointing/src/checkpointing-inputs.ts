import {hostname, totalmem} from 'node:os'
import {type HostSlot, type Interfaces, MlpsError, type ResolvedConfig} from 'mlps'
import {parseHosts, resolveStoragePath} from 'mlps/unstable'
import {type CheckpointPlan, planCheckpoints} from './checkpoint-plan.js'
import type {checkpointingFlags} from './checkpointing-flags.js'
import {type CheckpointingOptions, CheckpointingOptionsSchema} from './options.js'

export function checkpointingOptions(resolved: ResolvedConfig): CheckpointingOptions {
  return CheckpointingOptionsSchema.parse(resolved.config.benchmarks.checkpointing ?? {})
}

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1', hostname(), hostname().split('.')[0]])

export interface HostMemory {
  perHost: number[]
  source: 'flag' | 'config' | 'measured'
}

/** Memory of each client host: the flag, the config, or this host's own when it is the only one. */
export function hostMemory(hosts: readonly HostSlot[], flagGiB: number | undefined, configGiB: number | undefined): HostMemory {
  const giB = flagGiB ?? configGiB
  if (giB !== undefined) return {perHost: hosts.map(() => giB * 2 ** 30), source: flagGiB === undefined ? 'config' : 'flag'}
  if (hosts.length === 1 && LOCAL_NAMES.has(hosts[0].name)) return {perHost: [totalmem()], source: 'measured'}
  throw new MlpsError(`cannot measure the memory of ${hosts.length > 1 ? `${hosts.length} client hosts` : hosts[0].name} from here`, {
    where: '--client-host-memory-in-gb', fix: 'pass --client-host-memory-in-gb with the memory of each client host',
  })
}

export interface CheckpointingInputs {
  plan: CheckpointPlan
  memory: HostMemory
  options: CheckpointingOptions
  checkpointFolder?: string
}

/** The flags both checkpointing commands have, as oclif parses them. */
export type CheckpointingFlags = Interfaces.InferredFlags<typeof checkpointingFlags>

/** Everything both commands derive from their flags and the site config. */
export function checkpointingInputs(flags: CheckpointingFlags, resolved: ResolvedConfig, requireFolder: boolean, scale?: number): CheckpointingInputs {
  const options = checkpointingOptions(resolved)
  const hosts = parseHosts(resolved.config.hosts, resolved.sources.get('hosts')?.kind === 'flag' ? '--hosts' : 'hosts')
  const memory = hostMemory(hosts, flags['client-host-memory-in-gb'], options.clientHostMemoryGiB)
  const folder = flags['checkpoint-folder'] ?? options.checkpointFolder
  if (requireFolder && folder === undefined) {
    throw new MlpsError('no checkpoint folder given', {where: '--checkpoint-folder', fix: 'pass --checkpoint-folder /path/on/the/storage/under/test, or set benchmarks.checkpointing.checkpointFolder'})
  }
  const checkpointFolder = folder === undefined ? undefined : resolveStoragePath(folder, flags['checkpoint-folder'] === undefined ? 'benchmarks.checkpointing.checkpointFolder' : '--checkpoint-folder')
  const plan = planCheckpoints({
    model: flags.model,
    processes: flags['num-processes'],
    mode: flags.mode,
    hosts,
    hostMemoryBytes: memory.perHost,
    numCheckpointsWrite: flags['num-checkpoints-write'],
    numCheckpointsRead: flags['num-checkpoints-read'],
    checkpointFolder,
    params: flags.param ?? [],
    newParams: flags['new-param'] ?? [],
    scale,
  })
  return {plan, memory, options, checkpointFolder}
}

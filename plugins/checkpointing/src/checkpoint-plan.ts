import {applyParams} from '@mlps/run-options'
import {joinStoragePath} from 'mlps/unstable'
import type {DlioWorkload} from '@mlps/run-options'
import {MlpsError, type HostSlot} from 'mlps'
import {type CheckpointLayout, checkpointLayout, scaleLayout} from './checkpoint-geometry.js'
import {CACHE_CLEAR_MEMORY_MULTIPLE, type LlmModel, LLM_MODEL_SPECS, type LlmModelSpec, modelWorkload} from './models.js'
import {placeRanks} from './rank-placement.js'

export type CheckpointMode = 'default' | 'subset'

export interface CheckpointPlanRequest {
  model: LlmModel
  processes: number
  /** undefined: subset when fewer processes than the CLOSED count, as the reference decides */
  mode?: CheckpointMode
  hosts: readonly HostSlot[]
  /** memory of each host, same order as `hosts` */
  hostMemoryBytes: readonly number[]
  numCheckpointsWrite: number
  numCheckpointsRead: number
  /** --checkpoint-folder; the model's name is appended, as the reference does */
  checkpointFolder?: string
  params?: readonly string[]
  /** --new-param: keys neither the workload nor DLIO knows */
  newParams?: readonly string[]
  /** 0 < scale ≤ 1: shrink every file for a smoke run */
  scale?: number
}

export interface HostShare {
  name: string
  ranks: number[]
  /** bytes this host's ranks write per checkpoint (and read back) */
  checkpointBytes: number
  /** model + optimizer state its ranks hold in memory (full size, whatever the scale) */
  stateBytes: number
  memoryBytes: number
  /** Rules 4.3.1: checkpoint data on this client < 3 × its memory */
  cacheClearRequired: boolean
}

export interface CheckpointPlan {
  spec: LlmModelSpec
  mode: CheckpointMode
  processes: number
  scale: number
  workload: DlioWorkload
  baseWorkload: DlioWorkload
  userOverrides: Record<string, unknown>
  /** what the reference's add_checkpoint_params injects, in its order (mlpstorage-spec.md §3.5) */
  toolInjected: Record<string, unknown>
  /** the full-size layout (what a real run writes) */
  fullLayout: CheckpointLayout
  /** what this run writes: the full layout, or its scaled-down copy */
  layout: CheckpointLayout
  hosts: HostShare[]
  numCheckpointsWrite: number
  numCheckpointsRead: number
  /** disk the written checkpoints take: one checkpoint × writes */
  diskBytes: number
  cacheClearRequired: boolean
}

/** The most processes a subset run can have: DLIO needs comm size ≤ data × tensor × pipeline parallelism, with the injected data parallelism. */
export function subsetProcessLimit(spec: LlmModelSpec): number {
  return Math.min(spec.closedProcesses - 1, spec.dataParallelism * spec.tensorParallelism * spec.pipelineParallelism)
}

function resolveMode(spec: LlmModelSpec, processes: number, requested: CheckpointMode | undefined): CheckpointMode {
  const mode = requested ?? (processes < spec.closedProcesses ? 'subset' : 'default')
  if (mode === 'subset' && processes >= spec.closedProcesses) {
    throw new MlpsError(`subset mode writes the share of fewer processes than the ${spec.closedProcesses} of a full ${spec.model} checkpoint, but ${processes} were asked for`, {
      where: '--mode subset', fix: `use fewer than ${spec.closedProcesses} processes (8 for a CLOSED 8B subset), or --mode default`,
    })
  }
  const subsetMax = subsetProcessLimit(spec)
  if (mode === 'subset' && processes > subsetMax) {
    const mp = `${spec.dataParallelism} × ${spec.tensorParallelism} × ${spec.pipelineParallelism}`
    throw new MlpsError(`${spec.model} in subset mode runs on at most ${subsetMax} process${subsetMax === 1 ? '' : 'es'}, not ${processes}: DLIO refuses more processes than data × tensor × pipeline parallelism (${mp}), and a subset's data parallelism is the rules' ${spec.closedProcesses} CLOSED processes / ${spec.processesPerDataParallelInstance} per data-parallel instance`, {
      where: '--num-processes', fix: `pass --num-processes ${subsetMax} for a subset, --mode default to write the whole checkpoint with ${processes} processes, or --num-processes ${spec.closedProcesses} (CLOSED)`,
    })
  }
  const modelParallel = spec.tensorParallelism * spec.pipelineParallelism
  if (mode === 'default' && processes % modelParallel !== 0) {
    throw new MlpsError(`${spec.model} is sharded tensor ${spec.tensorParallelism} × pipeline ${spec.pipelineParallelism}; ${processes} processes are not a whole number of model instances`, {
      where: '--num-processes', fix: `use a multiple of ${modelParallel} (${spec.closedProcesses} for CLOSED), or --mode subset`,
    })
  }
  return mode
}

export function planCheckpoints(request: CheckpointPlanRequest): CheckpointPlan {
  const spec = LLM_MODEL_SPECS[request.model]
  const scale = request.scale ?? 1
  if (!(scale > 0 && scale <= 1)) throw new MlpsError(`the scale must be in (0, 1], got ${scale}`, {where: '--scale', fix: 'pass e.g. --scale 0.001 for a smoke run, or leave it out'})
  const mode = resolveMode(spec, request.processes, request.mode)
  const baseWorkload = modelWorkload(request.model)
  const {workload, applied: appliedParams} = applyParams(baseWorkload, request.params ?? [], request.newParams ?? [])
  const applied = Object.fromEntries(appliedParams.map(param => [param.key, param.value]))
  const toolInjected: Record<string, unknown> = {}
  if (mode === 'subset') {
    toolInjected['checkpoint.mode'] = 'subset'
    toolInjected['model.parallelism.data'] = spec.dataParallelism
  }
  toolInjected['checkpoint.num_checkpoints_read'] = request.numCheckpointsRead
  toolInjected['checkpoint.num_checkpoints_write'] = request.numCheckpointsWrite
  if (request.checkpointFolder !== undefined) toolInjected['checkpoint.checkpoint_folder'] = joinStoragePath(request.checkpointFolder, request.model)
  const checkpoint = workload.checkpoint ?? (workload.checkpoint = {checkpoint_folder: ''})
  checkpoint.num_checkpoints_read = request.numCheckpointsRead
  checkpoint.num_checkpoints_write = request.numCheckpointsWrite
  if (request.checkpointFolder !== undefined) checkpoint.checkpoint_folder = joinStoragePath(request.checkpointFolder, request.model)
  if (mode === 'subset') {
    checkpoint.mode = 'subset'
    workload.model.parallelism = {...workload.model.parallelism, data: spec.dataParallelism}
  }

  const fullLayout = checkpointLayout({workload, processes: request.processes, dataParallelism: mode === 'subset' ? spec.dataParallelism : undefined})
  const layout = scaleLayout(fullLayout, scale)
  if (request.hostMemoryBytes.length !== request.hosts.length) throw new Error('one memory size per host is needed')
  const placement = placeRanks(request.hosts, request.processes)
  const hosts = request.hosts.map((host, i): HostShare => {
    const ranks = placement[i]
    const checkpointBytes = ranks.reduce((sum, r) => sum + layout.ranks[r].files.reduce((s, f) => s + f.bytes, 0), 0)
    const memoryBytes = request.hostMemoryBytes[i]
    return {
      name: host.name, ranks, checkpointBytes,
      stateBytes: ranks.reduce((sum, r) => sum + fullLayout.ranks[r].modelStateBytes + fullLayout.ranks[r].optimizerStateBytes, 0),
      memoryBytes, cacheClearRequired: checkpointBytes < CACHE_CLEAR_MEMORY_MULTIPLE * memoryBytes,
    }
  })
  return {
    spec, mode, processes: request.processes, scale, workload, baseWorkload, userOverrides: applied, toolInjected, fullLayout, layout, hosts,
    numCheckpointsWrite: request.numCheckpointsWrite, numCheckpointsRead: request.numCheckpointsRead,
    diskBytes: layout.checkpointBytes * request.numCheckpointsWrite,
    cacheClearRequired: hosts.some(host => host.cacheClearRequired && host.ranks.length > 0),
  }
}

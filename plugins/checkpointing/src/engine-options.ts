import type {CheckpointingRunOptions} from '@mlps/run-options'
import type {CheckpointPlan} from './checkpoint-plan.js'
import type {HostMemory} from './checkpointing-inputs.js'

/** What `checkpointing run` hands an engine beside the workload: the layout, the scale, the page-cache rule, the hosts. */
export type CheckpointEngineOptions = Omit<CheckpointingRunOptions, 'workload' | 'baseWorkload' | 'workloadName' | 'dlioBin'>

export function engineOptions(plan: CheckpointPlan, memory: HostMemory): CheckpointEngineOptions {
  return {
    mode: plan.mode,
    scale: plan.scale,
    cacheClearRequired: plan.cacheClearRequired,
    clientHostMemoryBytes: memory.perHost,
    memorySource: memory.source,
    layout: {
      checkpointBytes: plan.layout.checkpointBytes,
      ranks: plan.layout.ranks.map(rank => ({rank: rank.rank, files: rank.files.map(({name, bytes}) => ({name, bytes}))})),
    },
    hosts: plan.hosts.map(({name, ranks, checkpointBytes, memoryBytes, cacheClearRequired}) => ({name, ranks, checkpointBytes, memoryBytes, cacheClearRequired})),
  }
}

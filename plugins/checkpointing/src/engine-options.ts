import type {CheckpointPlan} from './checkpoint-plan.js'
import type {HostMemory} from './checkpointing-inputs.js'

/**
 * What `checkpointing run` hands an engine in `ctx.options`, beside the
 * workload: the layout every rank writes (file names and exact byte counts,
 * so engines never recompute the geometry), the scale, and whether the
 * rules want the page cache cleared between the write and read phases.
 */
export interface CheckpointEngineOptions {
  mode: CheckpointPlan['mode']
  /** 1 for a real run; below 1 for a scaled-down smoke run (never CLOSED) */
  scale: number
  cacheClearRequired: boolean
  clientHostMemoryBytes: number[]
  memorySource: HostMemory['source']
  layout: {
    checkpointBytes: number
    ranks: Array<{rank: number; files: Array<{name: string; bytes: number}>}>
  }
  hosts: Array<{name: string; ranks: number[]; checkpointBytes: number; memoryBytes: number; cacheClearRequired: boolean}>
}

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

import {Flags} from 'mlps'
import {LIMITS} from 'mlps/unstable'
import {subsetProcessLimit} from './checkpoint-plan.js'
import {LLM_MODEL_SPECS, LLM_MODELS} from './models.js'

/** Flags shared by the checkpointing commands, spelled as the reference tool spells them (mlpstorage-spec.md §2.5). */
const ranksHelp = Object.values(LLM_MODEL_SPECS).map(s => {
  const modelParallel = s.tensorParallelism * s.pipelineParallelism
  const subsetMax = subsetProcessLimit(s)
  return `${s.model}: CLOSED ${s.closedProcesses}, OPEN ${modelParallel === 1 ? 'any count' : `a multiple of ${modelParallel}`} in default mode` +
    (subsetMax < s.closedProcesses - 1 ? ` and at most ${subsetMax} in subset mode` : '')
}).join('; ')

export const checkpointingFlags = {
  model: Flags.option({char: 'm', description: 'LLM whose checkpoints are written and read', options: LLM_MODELS, required: true})(),
  'num-processes': Flags.integer({char: 'n', description: `emulated accelerators (MPI ranks) across all hosts — ${ranksHelp}`, required: true, min: 1, max: LIMITS.ranks}),
  'client-host-memory-in-gb': Flags.integer({description: 'memory of each client host in GiB (default: measured on this host) [config: benchmarks.checkpointing.clientHostMemoryGiB]', min: 1, max: LIMITS.hostMemoryGiB}),
  'checkpoint-folder': Flags.string({description: 'where checkpoints go: <folder>/<model>/global_epoch1_step<n>/ [config: benchmarks.checkpointing.checkpointFolder]'}),
  'num-checkpoints-write': Flags.integer({description: 'checkpoints to write (CLOSED: 10, or 0 for the read half of a write/read pair)', default: 10, min: 0, max: LIMITS.operations}),
  'num-checkpoints-read': Flags.integer({description: 'checkpoints to read back (CLOSED: 10, or 0 for the write half of a write/read pair)', default: 10, min: 0, max: LIMITS.operations}),
  mode: Flags.option({description: 'default: the full checkpoint; subset: the share of fewer processes than the CLOSED count (default: subset exactly when --num-processes is below it)', options: ['default', 'subset'] as const})(),
  param: Flags.string({description: 'override a workload value, e.g. checkpoint.time_between_checkpoints=1 (repeatable)', multiple: true}),
  'new-param': Flags.string({description: 'add a workload key that neither the workload nor DLIO is known to take; the run is then OPEN at most (repeatable)', multiple: true}),
}

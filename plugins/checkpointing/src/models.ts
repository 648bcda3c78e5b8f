import type {DlioWorkload} from '@mlps/run-options'

/**
 * The four checkpointing models as data: the official v3.0 workload YAMLs
 * (`configs/dlio/workload/llama3_*.yaml`, mlcommons/storage @7e73663 for 8b,
 * @e45a161 for 70b, @e3ffed0 for 405b, @1d3bbf1 for 1t — the versions with no
 * `parallelism.data` key, as the v3.0 SAMSUNG llama3-8b run's
 * dlio_config/config.yaml shows) and the reference's constants
 * (`LLM_ALLOWED_VALUES` L2 values, mlpstorage-spec.md §3.1; Rules Table 2,
 * rules.md §1.2). Sizes are not stored: they follow from the geometry
 * (checkpoint-geometry.ts), which reproduces the real published
 * `checkpoint_size_GB` values exactly.
 */
export const LLM_MODELS = ['llama3-8b', 'llama3-70b', 'llama3-405b', 'llama3-1t'] as const
export type LlmModel = (typeof LLM_MODELS)[number]

/** Rules 4.7.1: CLOSED accepts only 10 or 0 for --num-checkpoints-write/read. */
export const CLOSED_CHECKPOINT_COUNT = 10
/** Rules 4.3.1: clear the page cache between write and read when checkpoint data per client < 3 × client memory. */
export const CACHE_CLEAR_MEMORY_MULTIPLE = 3
/** Rules 4.6.2 ("more than 4"; the submission checker errors on ≤ 4). */
export const MIN_CLOSED_PROCESSES_PER_HOST_EXCLUSIVE = 4
/** Rules 4.7.1: the read invocation must start within 30 s of the write invocation's end. */
export const MAX_WRITE_READ_GAP_SECONDS = 30

export interface LlmModelSpec {
  model: LlmModel
  /** the official config's name (`model.replace("-", "_")`, mlpstorage-spec.md §3.5) */
  configName: string
  /** what v3.0 tables print (1T is "1250B" in RG3, rules.md §1.2) */
  displayLabel: string
  /** `MinProcs` of LLM_ALLOWED_VALUES */
  minProcesses: number
  zeroStage: 1 | 3
  tensorParallelism: number
  pipelineParallelism: number
  /** `GPU per Data Parallel Instance` of LLM_ALLOWED_VALUES (TP × PP, but 8 for 8B whose TP × PP is 1) */
  processesPerDataParallelInstance: number
  /** `Closed GPU Count` of LLM_ALLOWED_VALUES: the CLOSED process count (Rules 4.6.1) */
  closedProcesses: number
  /** ClosedGPUs / GPUpDP: what the reference injects as model.parallelism.data in subset mode */
  dataParallelism: number
  /** Rules Table 2's "Checkpoint size" in GiB, as the rules print it (rounded; 1T's "18 T" disagrees with DLIO, see below) */
  rulesTableSizeGiB: number
  /** Rules 4.3.5: subset is valid in CLOSED only for the 8B model with exactly 8 processes */
  closedSubsetAllowed: boolean
  workload: DlioWorkload
}

interface Geometry {
  layers: number
  tensor: number
  pipeline: number
  zeroStage: 1 | 3
  hidden: number
  ffn: number
  heads: number
  kvHeads: number
}

function llamaWorkload(size: string, g: Geometry): DlioWorkload {
  return {
    model: {
      name: `llama_${size}`,
      type: 'transformer',
      num_layers: g.layers,
      model_datatype: 'fp16',
      optimizer_datatype: 'fp32',
      parallelism: {tensor: g.tensor, pipeline: g.pipeline, zero_stage: g.zeroStage},
      transformer: {vocab_size: 128256, hidden_size: g.hidden, ffn_hidden_size: g.ffn, num_attention_heads: g.heads, num_kv_heads: g.kvHeads},
    },
    framework: 'pytorch',
    workflow: {generate_data: false, train: false, checkpoint: true},
    checkpoint: {checkpoint_folder: `checkpoints/llama_${size}`, time_between_checkpoints: 5, num_checkpoints_write: 10, num_checkpoints_read: 10, fsync: true},
  }
}

function spec(model: LlmModel, displayLabel: string, g: Geometry, allowed: {perInstance: number; closed: number}, rulesTableSizeGiB: number): LlmModelSpec {
  return {
    model,
    configName: model.replace('-', '_'),
    displayLabel,
    minProcesses: 8,
    zeroStage: g.zeroStage,
    tensorParallelism: g.tensor,
    pipelineParallelism: g.pipeline,
    processesPerDataParallelInstance: allowed.perInstance,
    closedProcesses: allowed.closed,
    dataParallelism: allowed.closed / allowed.perInstance,
    rulesTableSizeGiB,
    closedSubsetAllowed: model === 'llama3-8b',
    workload: llamaWorkload(model.slice('llama3-'.length), g),
  }
}

// LLM_ALLOWED_VALUES (L2): (MinProcs 8, ZeRO, GPUs per DP instance, CLOSED GPUs) — mlpstorage-spec.md §3.1.
export const LLM_MODEL_SPECS: Readonly<Record<LlmModel, LlmModelSpec>> = {
  'llama3-8b': spec('llama3-8b', '8B', {layers: 32, tensor: 1, pipeline: 1, zeroStage: 3, hidden: 4096, ffn: 14336, heads: 32, kvHeads: 8}, {perInstance: 8, closed: 8}, 105),
  'llama3-70b': spec('llama3-70b', '70B', {layers: 80, tensor: 8, pipeline: 1, zeroStage: 3, hidden: 8192, ffn: 28672, heads: 128, kvHeads: 8}, {perInstance: 8, closed: 64}, 912),
  'llama3-405b': spec('llama3-405b', '405B', {layers: 126, tensor: 8, pipeline: 32, zeroStage: 1, hidden: 16384, ffn: 53248, heads: 128, kvHeads: 8}, {perInstance: 256, closed: 512}, 5290),
  // Rules Table 2 prints 18 T, the sum of the reference's placeholder LLM_SIZE_BY_RANK (2571 + 15426 GB);
  // DLIO writes 15426.589 GiB, as the real v3.0 NVIDIA llama3-1t summary.json reports.
  'llama3-1t': spec('llama3-1t', '1250B', {layers: 128, tensor: 8, pipeline: 64, zeroStage: 1, hidden: 25872, ffn: 98304, heads: 192, kvHeads: 32}, {perInstance: 512, closed: 1024}, 18000),
}

export function isLlmModel(name: string): name is LlmModel {
  return (LLM_MODELS as readonly string[]).includes(name)
}

/** A copy of the model's official workload, safe to modify. */
export function modelWorkload(model: LlmModel): DlioWorkload {
  return structuredClone(LLM_MODEL_SPECS[model].workload)
}

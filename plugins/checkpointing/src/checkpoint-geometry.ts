import type {DlioWorkload} from '@mlps/run-options'
import {MlpsError} from 'mlps'

/**
 * What each rank of a DLIO transformer checkpoint holds and writes, computed
 * the way DLIO's `BaseCheckpointing` does (engines.md §2.7; DLIO v3 fork
 * `checkpointing/base_checkpointing.py`: get_num_parameters,
 * get_layer_parameters, get_optimization_groups, get_layer_index,
 * save_checkpoint). It reproduces the real published `checkpoint_size_GB`
 * exactly: 104.70452117919922 (llama3-8b, 8 ranks), 911.2121276855469
 * (70b, 64), 15426.589264154434 (1t, 1024). The one source of the sizes for
 * datasize, the run gates and the native engine.
 */
export interface CheckpointFile {
  /** path under `global_epoch<e>_step<s>/` */
  name: string
  bytes: number
  kind: 'model' | 'optimizer'
}

export interface RankShard {
  rank: number
  /** model state this rank holds in memory (all ranks hold it, only some write it) */
  modelStateBytes: number
  optimizerStateBytes: number
  files: CheckpointFile[]
}

export interface CheckpointLayout {
  processes: number
  tensorParallelism: number
  pipelineParallelism: number
  /** DLIO's data parallelism: comm_size / (TP × PP), or model.parallelism.data in subset mode */
  dataParallelism: number
  zeroStage: number
  parameters: number
  ranks: RankShard[]
  /** bytes every checkpoint writes, all ranks */
  checkpointBytes: number
  /** DLIO's `checkpoint_size_GB` (GiB, allreduced model / DP instances for ZeRO < 3, plus optimizer) */
  checkpointSizeGiB: number
  modelSizeGiB: number
  optimizerSizeGiB: number
}

const CHECKPOINT_FILE_EXTENSION = 'pt'
const GiB = 2 ** 30

const DATATYPE_BYTES: Record<string, number> = {int8: 1, uint8: 1, fp16: 2, bf16: 2, fp32: 4, fp64: 8}

function datatypeBytes(datatype: string | undefined, fallback: string, key: string): number {
  const size = DATATYPE_BYTES[datatype ?? fallback]
  if (size === undefined) {
    throw new MlpsError(`unsupported ${key} "${datatype}"`, {where: `--param ${key}`, fix: `use one of ${Object.keys(DATATYPE_BYTES).join(', ')}`})
  }
  return size
}

interface Transformer {
  layers: number
  hidden: number
  ffn: number
  vocab: number
  heads: number
  kvHeads: number
}

function transformerOf(workload: DlioWorkload): Transformer {
  const {model} = workload
  const t = model.transformer ?? {}
  const values = {layers: model.num_layers, hidden: t.hidden_size, ffn: t.ffn_hidden_size, vocab: t.vocab_size, heads: t.num_attention_heads, kvHeads: t.num_kv_heads ?? t.num_attention_heads}
  for (const [key, value] of Object.entries(values)) {
    if (!(Number.isSafeInteger(value) && (value as number) > 0)) {
      throw new MlpsError(`the workload's transformer geometry needs a positive whole ${key}, got ${JSON.stringify(value)}`, {
        where: 'model', fix: 'keep model.num_layers and model.transformer.* as the official config has them',
      })
    }
  }
  return values as Transformer
}

/** get_num_parameters: embedding + layers × (norms, GQA attention, dense, gated MLP) + final norm + lm_head. */
export function transformerParameters(t: Transformer): number {
  const dimKv = Math.floor(t.hidden / t.heads) * t.kvHeads
  const embedding = t.vocab * t.hidden
  const perLayer = t.hidden + t.hidden * (t.hidden + 2 * dimKv) + t.hidden * t.hidden + t.hidden + t.ffn * 2 * t.hidden + t.ffn * t.hidden
  return embedding + perLayer * t.layers + t.hidden + embedding
}

/** get_layer_parameters: elements per tensor of layer `index` (0 = embedding, l+1 = lm_head, l+2 = final norm). */
function layerElements(t: Transformer, index: number, tensor: number, sharding: number): number[] {
  const f = Math.floor
  const dimKv = f(t.hidden / t.heads) * t.kvHeads
  if (index === 0 || index === t.layers + 1) return [f(f(t.hidden * t.vocab / tensor) / sharding)]
  if (index === t.layers + 2) return [f(t.hidden / sharding)]
  return [
    f(t.hidden / sharding),
    f(f(t.hidden * (t.hidden + 2 * dimKv) / tensor) / sharding),
    f(f(t.hidden * t.hidden / tensor) / sharding),
    f(t.hidden / sharding),
    f(f(t.hidden * 2 * t.ffn / tensor) / sharding),
    f(f(t.hidden * t.ffn / tensor) / sharding),
  ]
}

/** get_layer_index: transformer layers 1..l split over pipeline stages; stage 0 adds the embedding, the last adds lm_head and the final norm. */
function layerRange(layers: number, pipeline: number, stage: number): [number, number] {
  const per = Math.floor(layers / pipeline)
  const remainder = layers % pipeline
  let start: number
  let end: number
  if (stage < remainder) {
    start = stage * (per + 1) + 1
    end = start + per
  } else {
    start = remainder * (per + 1) + (stage - remainder) * per + 1
    end = start + per - 1
  }
  if (stage === pipeline - 1) end = layers + 2
  if (stage === 0) start = 0
  return [start, end]
}

export interface LayoutRequest {
  workload: DlioWorkload
  processes: number
  /** model.parallelism.data as injected in subset mode; undefined → comm_size / (TP × PP) */
  dataParallelism?: number
}

export function checkpointLayout({workload, processes, dataParallelism}: LayoutRequest): CheckpointLayout {
  if (workload.model.type !== 'transformer') {
    throw new MlpsError(`model.type is "${workload.model.type}"; checkpoint sizes are computed for transformer models only`, {where: 'model.type', fix: 'keep model.type: transformer'})
  }
  const t = transformerOf(workload)
  const parallelism = workload.model.parallelism ?? {}
  const tensor = parallelism.tensor ?? 1
  const pipeline = parallelism.pipeline ?? 1
  const zero = parallelism.zero_stage ?? 0
  const modelParallelism = tensor * pipeline
  const dp = dataParallelism ?? Math.floor(processes / modelParallelism)
  if (dp < 1) {
    throw new MlpsError(`${processes} processes cannot hold one model instance of tensor ${tensor} × pipeline ${pipeline}`, {
      where: '--num-processes', fix: `use a multiple of ${modelParallelism}, or subset mode`,
    })
  }
  const modelBytes = datatypeBytes(workload.model.model_datatype, 'fp16', 'model.model_datatype')
  const optimizerBytes = datatypeBytes(workload.model.optimizer_datatype, 'fp32', 'model.optimizer_datatype')
  const parameters = transformerParameters(t)
  const sharding = zero < 3 ? 1 : dp
  const optimizerElements = Math.floor(parameters / (zero > 0 ? dp * modelParallelism : modelParallelism))
  const optimizerGroups = optimizerElements > 0 ? [optimizerElements, t.hidden * 5, optimizerElements, t.hidden * 5, optimizerElements, t.hidden * 5] : []
  const optimizerStateBytes = optimizerGroups.reduce((sum, n) => sum + n * optimizerBytes, 0)

  const ranks: RankShard[] = []
  for (let rank = 0; rank < processes; rank++) {
    // ZeRO 0: only the first model-parallel group holds and writes state
    if (zero === 0 && rank >= modelParallelism) {
      ranks.push({rank, modelStateBytes: 0, optimizerStateBytes: 0, files: []})
      continue
    }
    const stage = Math.floor(rank / tensor) % pipeline
    const dpRank = Math.floor(rank / modelParallelism)
    const mpRank = rank % modelParallelism
    const [first, last] = layerRange(t.layers, pipeline, stage)
    const layerBytes: Array<[number, number]> = []
    for (let layer = first; layer <= last; layer++) {
      layerBytes.push([layer, layerElements(t, layer, tensor, sharding).reduce((sum, n) => sum + n * modelBytes, 0)])
    }
    const modelStateBytes = layerBytes.reduce((sum, [, bytes]) => sum + bytes, 0)
    const files: CheckpointFile[] = []
    const file = (stem: string, bytes: number, kind: CheckpointFile['kind']) => files.push({name: `${stem}.${CHECKPOINT_FILE_EXTENSION}`, bytes, kind})
    if (zero > 0 && zero < 3) {
      // the model is written by the first data-parallel instance only, layer by layer when pipelined
      if (dpRank === 0) {
        if (pipeline > 1) for (const [layer, bytes] of layerBytes) file(`layer_${layer}-model_${mpRank}_model_states`, bytes, 'model')
        else file(`model_${mpRank}_model_states`, modelStateBytes, 'model')
      }
    } else {
      file(`zero_pp_rank_${dpRank}_mp_rank_${mpRank}_model_states`, modelStateBytes, 'model')
    }
    if (optimizerStateBytes > 0) file(`zero_pp_rank_${dpRank}_mp_rank_${mpRank}_optim_states`, optimizerStateBytes, 'optimizer')
    ranks.push({rank, modelStateBytes, optimizerStateBytes, files})
  }

  let modelSizeGiB = ranks.reduce((sum, r) => sum + r.modelStateBytes, 0) / GiB
  const optimizerSizeGiB = ranks.reduce((sum, r) => sum + r.optimizerStateBytes, 0) / GiB
  const instances = Math.floor(processes / modelParallelism)
  if (zero < 3 && instances > 0) modelSizeGiB /= instances
  return {
    processes, tensorParallelism: tensor, pipelineParallelism: pipeline, dataParallelism: dp, zeroStage: zero, parameters, ranks,
    checkpointBytes: ranks.reduce((sum, r) => sum + r.files.reduce((s, f) => s + f.bytes, 0), 0),
    checkpointSizeGiB: modelSizeGiB + optimizerSizeGiB, modelSizeGiB, optimizerSizeGiB,
  }
}

/**
 * A smoke-run layout: every file keeps its name and shrinks to
 * ⌊bytes × scale⌋. The sizes reported for it are what was written, never the
 * full model's, and the run is recorded as scaled (never CLOSED).
 */
export function scaleLayout(layout: CheckpointLayout, scale: number): CheckpointLayout {
  if (scale === 1) return layout
  const ranks = layout.ranks.map(rank => ({
    rank: rank.rank,
    modelStateBytes: Math.floor(rank.modelStateBytes * scale),
    optimizerStateBytes: Math.floor(rank.optimizerStateBytes * scale),
    files: rank.files.map(file => ({...file, bytes: Math.floor(file.bytes * scale)})),
  }))
  const checkpointBytes = ranks.reduce((sum, r) => sum + r.files.reduce((s, f) => s + f.bytes, 0), 0)
  const model = ranks.reduce((sum, r) => sum + r.files.filter(f => f.kind === 'model').reduce((s, f) => s + f.bytes, 0), 0)
  return {...layout, ranks, checkpointBytes, checkpointSizeGiB: checkpointBytes / GiB, modelSizeGiB: model / GiB, optimizerSizeGiB: (checkpointBytes - model) / GiB}
}

/**
 * The KV-cache models as data: the geometry kv-cache.py sizes its KV blocks from
 * (mlcommons/storage `kv_cache_benchmark/kv_cache/models.py` @64f05b3, `_DEFAULT_MODEL_CONFIGS`;
 * engines.md §3.1 lists the resulting bytes per token). One source of truth for datasize, the plan
 * and the native engine's block sizes.
 */
export interface KvModel {
  /** the key kv-cache.py's --model takes */
  name: string
  displayName: string
  layers: number
  /** attention heads for keys/values (GQA: fewer than query heads) */
  kvHeads: number
  headDim: number
  bytesPerElement: number
  /** MLA (DeepSeek) caches one compressed latent of this width per layer instead of K and V */
  mla?: {kvLoraRank: number; qkRopeHeadDim: number}
}

export const KV_MODELS = [
  {name: 'tiny-1b', displayName: 'Tiny 1B', layers: 12, kvHeads: 4, headDim: 128, bytesPerElement: 2},
  {name: 'mistral-7b', displayName: 'Mistral 7B', layers: 32, kvHeads: 8, headDim: 128, bytesPerElement: 2},
  {name: 'llama2-7b', displayName: 'Llama 2 7B', layers: 32, kvHeads: 32, headDim: 128, bytesPerElement: 2},
  {name: 'llama3.1-8b', displayName: 'Llama 3.1 8B', layers: 32, kvHeads: 8, headDim: 128, bytesPerElement: 2},
  {name: 'llama3.1-70b-instruct', displayName: 'Llama 3.1 70B Instruct', layers: 80, kvHeads: 8, headDim: 128, bytesPerElement: 2},
  {name: 'deepseek-v3', displayName: 'DeepSeek V3', layers: 61, kvHeads: 128, headDim: 56, bytesPerElement: 2, mla: {kvLoraRank: 512, qkRopeHeadDim: 64}},
  {name: 'qwen3-32b', displayName: 'Qwen3 32B', layers: 64, kvHeads: 8, headDim: 128, bytesPerElement: 2},
  {name: 'gpt-oss-120b', displayName: 'GPT OSS 120B (MoE)', layers: 36, kvHeads: 8, headDim: 64, bytesPerElement: 2},
  {name: 'gpt-oss-20b', displayName: 'GPT OSS 20B (MoE)', layers: 24, kvHeads: 8, headDim: 64, bytesPerElement: 2},
] as const satisfies readonly KvModel[]

export type KvModelName = typeof KV_MODELS[number]['name']
export const KV_MODEL_NAMES: readonly KvModelName[] = KV_MODELS.map(model => model.name)

export function kvModel(name: string): KvModel | undefined {
  return (KV_MODELS as readonly KvModel[]).find(model => model.name === name)
}

/** Bytes of KV cache one token occupies: layers × KV heads × head dim × 2 (K and V) × bytes; MLA caches one latent. */
export function kvBytesPerToken(model: KvModel): number {
  if (model.mla) return model.layers * (model.mla.kvLoraRank + model.mla.qkRopeHeadDim) * model.bytesPerElement
  return model.layers * model.kvHeads * model.headDim * 2 * model.bytesPerElement
}

/**
 * The simulated users' request shapes (mlcommons/storage `kv_cache_benchmark/kv_cache/workload.py`
 * @23aa82e, `UserSimulator.DEFAULT_USER_TEMPLATES`): each user is one of these kinds, chosen uniformly,
 * with its context and generation lengths drawn uniformly from the ranges (inclusive).
 */
export interface UserTemplate {
  kind: 'chatbot' | 'coding' | 'document'
  contextTokens: readonly [number, number]
  generationTokens: readonly [number, number]
}

export const USER_TEMPLATES: readonly UserTemplate[] = [
  {kind: 'chatbot', contextTokens: [512, 4096], generationTokens: [50, 200]},
  {kind: 'coding', contextTokens: [4096, 25_000], generationTokens: [100, 500]},
  {kind: 'document', contextTokens: [4096, 16_384], generationTokens: [200, 800]},
]

/** Seconds of simulated token generation per generated token (engines.md §3.1, `generation_timing`). */
export const GENERATION_SECONDS_PER_TOKEN = {none: 0, fast: 0.002, realistic: 0.03} as const
export type GenerationMode = keyof typeof GENERATION_SECONDS_PER_TOKEN

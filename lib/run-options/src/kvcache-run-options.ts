import {z} from 'mlps'

const positiveInt = z.number().int().positive()
const nonnegativeInt = z.number().int().nonnegative()

export const KV_GENERATION_MODES = ['none', 'fast', 'realistic'] as const

/** What one kv-cache.py pass is asked to do (the flags mlps passes, engines.md §3.3). */
export const KvWorkloadParamsSchema = z.object({
  model: z.string().min(1),
  /** simulated users per rank */
  numUsers: positiveInt,
  durationSeconds: z.number().positive(),
  gpuMemGb: z.number().nonnegative(),
  cpuMemGb: z.number().nonnegative(),
  maxConcurrentAllocs: nonnegativeInt,
  generationMode: z.enum(KV_GENERATION_MODES),
  performanceProfile: z.enum(['latency', 'throughput']).optional(),
  disableMultiTurn: z.boolean().optional(),
  disablePrefixCaching: z.boolean().optional(),
  enableRag: z.boolean().optional(),
  ragNumDocs: positiveInt.optional(),
  enableAutoscaling: z.boolean().optional(),
  autoscalerMode: z.enum(['qos', 'capacity']).optional(),
})

/** One kv-cache pass: an option's trial, run by every rank at once. */
export const KvPassSchema = z.object({
  option: z.number().int(),
  optionName: z.string(),
  /** 0-based, as the reference names the folders (trial_0 … trial_2) */
  trial: nonnegativeInt,
  params: KvWorkloadParamsSchema,
  /** the model's KV bytes per token, so an engine sizes blocks without its own model table */
  kvBytesPerToken: positiveInt,
  /** simulated generation time per generated token for params.generationMode */
  generationSecondsPerToken: z.number().nonnegative(),
})

/** A simulated user's request shape: its context and generation lengths are drawn from these ranges (inclusive). */
export const KvUserTemplateSchema = z.object({
  kind: z.enum(['chatbot', 'coding', 'document']),
  contextTokens: z.tuple([positiveInt, positiveInt]).readonly(),
  generationTokens: z.tuple([nonnegativeInt, nonnegativeInt]).readonly(),
})

/**
 * What `mlps kvcache run` hands an engine (kvcache-py, native) as
 * ctx.options: the passes in order and how the ranks are laid out. Folder
 * names are fixed by the reference layout (engines.md §3.4):
 * `option_<O>/trial_<T>/rank_<N>/kvcache_results_<ts>.json` under the run leaf.
 */
export const KvcacheRunOptionsSchema = z.object({
  passes: z.array(KvPassSchema).min(1),
  /** total ranks (clients); each runs the full per-rank user count */
  ranks: positiveInt,
  /** ranks per host */
  npernode: positiveInt,
  hostCount: positiveInt,
  /** rank N runs with seed seedBase + N */
  seedBase: nonnegativeInt,
  trialsPerOption: positiveInt,
  /** seconds slept between options (not between trials of one option) */
  interOptionDelaySeconds: z.number().nonnegative(),
  /** seconds waited before and after each pass, as the official wrapper does (kvcache-py; CLOSED: 90 each) */
  passStartDelaySeconds: z.number().nonnegative(),
  passEndDelaySeconds: z.number().nonnegative(),
  /** storage tier root, rank N uses <cacheDir>/rank_<N>; undefined → <run leaf>/kvcache_cache */
  cacheDir: z.string().min(1).optional(),
  userTemplates: z.array(KvUserTemplateSchema).min(1).readonly(),
  /** native engine only: cap on a request's context tokens, for small blocks in quick runs */
  maxContextTokens: positiveInt.optional(),
  /** the first pass's model: the run checker reads parameters.model (mlpstorage-spec.md §4.2, issue #537) */
  model: z.string().min(1),
  /** --kvcache-bin-path: the kv-cache.py to run (kvcache-py engine) */
  kvcacheScript: z.string().min(1).optional(),
  /** --python: the interpreter that runs kv-cache.py (kvcache-py engine) */
  python: z.string().min(1).optional(),
})
export type KvcacheRunOptions = z.output<typeof KvcacheRunOptionsSchema>
export type KvPass = KvcacheRunOptions['passes'][number]
export type KvWorkloadParams = KvPass['params']
export type KvUserTemplate = KvcacheRunOptions['userTemplates'][number]

export const KVCACHE_RUN_OPTION_FLAGS = {
  ranks: '--num-processes', npernode: '--npernode', seedBase: '--seed', trialsPerOption: '--trials', interOptionDelaySeconds: '--inter-option-delay',
  passStartDelaySeconds: '--start-delay', passEndDelaySeconds: '--end-delay', python: '--python',
  cacheDir: '--cache-dir', maxContextTokens: '--max-context-tokens', kvcacheScript: '--kvcache-bin-path', model: '--model',
  'passes.params.numUsers': '--num-users', 'passes.params.durationSeconds': '--duration', 'passes.params.gpuMemGb': '--gpu-mem-gb',
  'passes.params.cpuMemGb': '--cpu-mem-gb', 'passes.params.maxConcurrentAllocs': '--max-concurrent-allocs', 'passes.params.model': '--model',
  'passes.params.ragNumDocs': '--rag-num-docs',
} as const

import {KV_GENERATION_MODES} from '@mlps/run-options'
import {Flags, type Interfaces} from 'mlps'
import {LIMITS} from 'mlps/unstable'
import {KV_MODEL_NAMES} from './models.js'

const nonNegativeNumber = Flags.custom<number>({
  parse: async (input, _context, options) => {
    const value = Number(input)
    if (input.trim() === '' || !Number.isFinite(value) || value < 0) throw new Error(`--${options.name} must be a number ≥ 0, got "${input}"`)
    if (value > LIMITS.hostMemoryGiB) throw new Error(`--${options.name} must be at most ${LIMITS.hostMemoryGiB} (GiB), got "${input}"`)
    return value
  },
})

/** The workload flags of `kvcache run` and `kvcache datasize`, spelled as kv-cache.py spells them (engines.md §3.3). */
export const workloadFlags = {
  model: Flags.string({char: 'm', description: 'model whose KV geometry sizes the blocks (OPEN: replaces every option\'s model)', options: [...KV_MODEL_NAMES]}),
  'num-users': Flags.integer({description: 'simulated users per rank', min: 1, max: LIMITS.clientsPerRank}),
  'gpu-mem-gb': nonNegativeNumber({description: 'GPU tier budget in GiB (0 disables it)'}),
  'cpu-mem-gb': nonNegativeNumber({description: 'CPU RAM tier budget in GiB (0 disables it)'}),
  'max-concurrent-allocs': Flags.integer({description: 'bound on in-flight block allocations (0: none)', min: 0, max: LIMITS.clientsPerRank}),
  option: Flags.integer({description: 'CLOSED option(s) to run: 1 Max Storage Stress, 2 Storage Throughput, 3 Large Model (OPEN only; default all three)', multiple: true, min: 1, max: 3}),
}

export const runFlags = {
  duration: Flags.integer({char: 'd', description: 'seconds per pass', min: 1, max: 86_400}),
  'generation-mode': Flags.option({description: 'simulated token generation time: none, fast (2 ms/token), realistic (30 ms/token)', options: KV_GENERATION_MODES})(),
  'performance-profile': Flags.option({description: "kv-cache.py's pass/fail profile", options: ['latency', 'throughput'] as const})(),
  'disable-multi-turn': Flags.boolean({description: 'no multi-turn conversation reuse'}),
  'disable-prefix-caching': Flags.boolean({description: 'no system-prompt prefix caching'}),
  'enable-rag': Flags.boolean({description: 'add a RAG workload'}),
  'rag-num-docs': Flags.integer({description: 'documents per RAG request', min: 0, max: LIMITS.repetitions}),
  'enable-autoscaling': Flags.boolean({description: 'let kv-cache.py scale users (prohibited in CLOSED)'}),
  'autoscaler-mode': Flags.option({description: 'autoscaler policy', options: ['qos', 'capacity'] as const})(),
  seed: Flags.integer({description: 'seed base: rank N runs with seed + N [CLOSED: 42]', min: 0, max: LIMITS.seed}),
  trials: Flags.integer({description: 'trials per option [CLOSED: 3]', min: 1, max: LIMITS.repetitions}),
  'inter-option-delay': Flags.integer({description: 'seconds slept between options [CLOSED: 90]', min: 0, max: LIMITS.seconds}),
  'start-delay': Flags.integer({description: 'kvcache-py: seconds waited before each pass, as the official mlperf_wrapper.py sleeps [CLOSED: 90; OPEN default 0]', min: 0, max: LIMITS.seconds}),
  'end-delay': Flags.integer({description: 'kvcache-py: seconds waited after each pass, as mlperf_wrapper.py sleeps [CLOSED: 90; OPEN default 0]', min: 0, max: LIMITS.seconds}),
  'cache-dir': Flags.string({description: 'storage-tier directory on the storage under test; rank N uses <dir>/rank_<N> [config: benchmarks.kvcache.cacheDir]'}),
  'num-processes': Flags.integer({char: 'n', description: 'total ranks (clients) across --hosts; must divide evenly among them', min: 1, max: LIMITS.ranks}),
  npernode: Flags.integer({description: 'ranks per host (default 1)', min: 1, max: LIMITS.ranksPerHost}),
  engine: Flags.string({description: 'kvcache-py (the official kv-cache.py) or native (built-in emulation, never CLOSED) [config: benchmarks.kvcache.engine]', options: ['kvcache-py', 'native']}),
  python: Flags.string({description: 'the Python that runs kv-cache.py on every host (>= 3.10, with numpy and PyYAML) [config: engines.kvcache-py.python; default python3]'}),
  'kvcache-bin-path': Flags.string({description: 'path of kv_cache_benchmark/kv-cache.py [config: engines.kvcache-py.script]'}),
  'max-context-tokens': Flags.integer({description: 'native engine only: cap each request\'s context tokens, for small blocks in quick runs', min: 1, max: LIMITS.indexParameter}),
}

/** The flags of `kvcache run` as oclif parses them; `kvcache datasize` has the workload ones only, and a flag not given is undefined. */
export type KvcacheFlags = Partial<Interfaces.InferredFlags<typeof workloadFlags & typeof runFlags>>

/** Flags that change the workload: CLOSED runs the three options verbatim (R 6.6.1), so these are OPEN only. */
export const OPEN_ONLY_FLAGS = [
  'model', 'num-users', 'gpu-mem-gb', 'cpu-mem-gb', 'max-concurrent-allocs', 'option', 'duration', 'generation-mode', 'performance-profile',
  'disable-multi-turn', 'disable-prefix-caching', 'enable-rag', 'rag-num-docs', 'enable-autoscaling', 'autoscaler-mode', 'max-context-tokens',
] as const

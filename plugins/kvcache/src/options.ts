import {z} from 'mlps'

/** `benchmarks.kvcache` in the site config. */
export const KvCacheOptionsSchema = z.object({
  engine: z.enum(['kvcache-py', 'native']).default('kvcache-py').describe('engine used when --engine is not given'),
  cacheDir: z.string().min(1).optional().describe('storage-tier directory on the storage under test (rank N uses <cacheDir>/rank_<N>); default <run leaf>/kvcache_cache'),
}).strict()

export type KvCacheOptions = z.output<typeof KvCacheOptionsSchema>

/** `engines.kvcache-py` in the site config. */
export const KvCachePyOptionsSchema = z.object({
  script: z.string().min(1).optional().describe("path of the user's kv_cache_benchmark/kv-cache.py"),
  python: z.string().min(1).default('python3').describe('the Python (>= 3.10, with numpy and PyYAML) that runs kv-cache.py on every host'),
}).strict()

export type KvCachePyOptions = z.output<typeof KvCachePyOptionsSchema>

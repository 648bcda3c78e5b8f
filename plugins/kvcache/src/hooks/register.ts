import {KVCACHE_RUN_OPTION_FLAGS, KvcacheRunOptionsSchema} from '@mlps/run-options'
import {LifecycleStage, type PluginContribution} from 'mlps'
import {cacheDirIsFolderCheck, cacheDirOutsideResultsCheck} from '../cache-dir-check.js'
import {collectKvResults} from '../collect-results.js'
import {kvcachePyEngine} from '../kvcache-py/kvcache-py-engine.js'
import {kvcachePyChecks} from '../kvcache-py/preflight.js'
import {kvcachePythonCheck} from '../kvcache-py/python-check.js'
import {KvCacheOptionsSchema} from '../options.js'
import {kvcacheResults} from '../results/kvcache-results.js'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    benchmarks: [{
      name: 'kvcache',
      description: 'MLPerf Storage KV-cache offload: simulated LLM-inference users writing and reading KV blocks on the storage tier (three CLOSED options × 3 trials)',
      results: kvcacheResults,
      optionsSchema: KvCacheOptionsSchema,
      runOptionsSchema: KvcacheRunOptionsSchema,
      runOptionFlags: KVCACHE_RUN_OPTION_FLAGS,
      storagePaths: {cacheDir: 'cache_dir'},
    }],
    engines: [kvcachePyEngine],
    checks: [cacheDirOutsideResultsCheck, cacheDirIsFolderCheck, ...kvcachePyChecks, kvcachePythonCheck],
    apply(lifecycle) {
      lifecycle.collect.tapPromise({name: '@mlps/plugin-kvcache', stage: LifecycleStage.Derived}, collectKvResults)
    },
  }
}

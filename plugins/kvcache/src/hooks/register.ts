import {LifecycleStage, type PluginContribution} from 'mlps'
import {checkCacheDirOutsideResults} from '../cache-dir-check.js'
import {collectKvResults} from '../collect-results.js'
import {kvcachePyEngine} from '../kvcache-py/kvcache-py-engine.js'
import {kvcachePythonCheck} from '../kvcache-py/python-check.js'
import {KvCacheOptionsSchema} from '../options.js'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    benchmarks: [{
      name: 'kvcache',
      description: 'MLPerf Storage KV-cache offload: simulated LLM-inference users writing and reading KV blocks on the storage tier (three CLOSED options × 3 trials)',
      resultsFolder: 'kv_cache',
      optionsSchema: KvCacheOptionsSchema,
    }],
    engines: [kvcachePyEngine],
    checks: [kvcachePythonCheck],
    apply(lifecycle) {
      lifecycle.preValidate.tapPromise('@mlps/plugin-kvcache', checkCacheDirOutsideResults)
      lifecycle.collect.tapPromise({name: '@mlps/plugin-kvcache', stage: LifecycleStage.Derived}, collectKvResults)
    },
  }
}

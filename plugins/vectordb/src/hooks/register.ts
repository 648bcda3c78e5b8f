import {LifecycleStage, type PluginContribution} from 'mlps'
import {VectordbOptionsSchema} from '../options.js'
import {vdbbenchEngine} from '../vdbbench/vdbbench-engine.js'
import {vectordbFindings} from '../vectordb-verdict.js'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    benchmarks: [{
      name: 'vectordb',
      description: 'MLPerf Storage vector database: load vectors, build an index, timed queries with recall (Milvus via vdbbench, or the embedded native store)',
      resultsFolder: 'vector_database',
      optionsSchema: VectordbOptionsSchema,
    }],
    engines: [vdbbenchEngine],
    apply(lifecycle) {
      lifecycle.verify.tapPromise({name: '@mlps/plugin-vectordb', stage: LifecycleStage.Default}, async (verdict, ctx) => {
        if (ctx.benchmark !== 'vectordb') return verdict
        return {...verdict, findings: [...verdict.findings, ...vectordbFindings(ctx.record, ctx.options.indexType as string | undefined)]}
      })
    },
  }
}

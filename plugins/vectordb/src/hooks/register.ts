import {VECTORDB_RUN_OPTION_FLAGS, VectordbRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {LifecycleStage, type PluginContribution} from 'mlps'
import {VectordbOptionsSchema} from '../options.js'
import {vdbbenchChecks, vdbbenchEngine} from '../vdbbench/vdbbench-engine.js'
import {vectordbFindings} from '../vectordb-verdict.js'
import {vectordbResults} from '../results/vectordb-results.js'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    benchmarks: [{
      name: 'vectordb',
      description: 'MLPerf Storage vector database: load vectors, build an index, timed queries with recall (Milvus via vdbbench, or the embedded native store)',
      results: vectordbResults,
      optionsSchema: VectordbOptionsSchema,
      runOptionsSchema: VectordbRunOptionsSchema,
      runOptionFlags: VECTORDB_RUN_OPTION_FLAGS,
      storagePaths: {dataDir: 'data_dir'},
    }],
    engines: [vdbbenchEngine],
    checks: vdbbenchChecks,
    apply(lifecycle) {
      lifecycle.verify.tapPromise({name: '@mlps/plugin-vectordb', stage: LifecycleStage.Default}, async (verdict, ctx) => {
        if (ctx.benchmark !== 'vectordb') return verdict
        // a rules edition that covers vector_database judges recall, ground truth and index types itself (5.3.x, 5.6.3);
        // these checks only keep a recall of 0 from passing where no edition judged the run
        const judgedByRules = !verdict.findings.some(f => f.ruleId === 'mlps.rules.edition' && f.notEvaluable)
        if (judgedByRules) return verdict
        return {...verdict, findings: [...verdict.findings, ...vectordbFindings(ctx.record, runWithOptions(ctx, VectordbRunOptionsSchema)?.options.indexType)]}
      })
    },
  }
}

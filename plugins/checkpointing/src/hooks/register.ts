import {CHECKPOINTING_RUN_OPTION_FLAGS} from '@mlps/run-options'
import {LifecycleStage, type PluginContribution} from 'mlps'
import {CheckpointingOptionsSchema} from '../options.js'
import {checkpointingChecks} from '../preflight-checks.js'
import {recordPairFacts} from '../pair-record.js'
import {CheckpointingCommandOptionsSchema, pairOf} from '../procedure.js'
import {checkpointingResults} from '../results/checkpointing-results.js'

const PLUGIN = '@mlps/plugin-checkpointing'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    benchmarks: [{
      name: 'checkpointing',
      description: 'MLPerf Storage checkpointing: llama3 8b/70b/405b/1t checkpoints written and read back by emulated accelerators',
      results: checkpointingResults,
      optionsSchema: CheckpointingOptionsSchema,
      runOptionsSchema: CheckpointingCommandOptionsSchema,
      runOptionFlags: CHECKPOINTING_RUN_OPTION_FLAGS,
      storagePaths: {'workload.checkpoint.checkpoint_folder': 'checkpoint_folder'},
    }],
    checks: checkpointingChecks,
    apply(lifecycle) {
      lifecycle.collect.tapPromise({name: PLUGIN, stage: LifecycleStage.Derived}, async ctx => {
        const pair = ctx.benchmark === 'checkpointing' ? pairOf(ctx) : undefined
        if (pair) await recordPairFacts(ctx, pair)
      })
    },
  }
}

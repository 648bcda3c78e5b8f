import {CHECKPOINTING_RUN_OPTION_FLAGS, CheckpointingRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {LifecycleStage, type PluginContribution} from 'mlps'
import {CheckpointingOptionsSchema} from '../options.js'
import {cacheClearPreflight} from '../pair-preflight.js'
import {recordPairFacts} from '../pair-record.js'
import {CheckpointingCommandOptionsSchema, pairOf} from '../procedure.js'
import {checkpointRunFindings} from '../run-gates.js'

const PLUGIN = '@mlps/plugin-checkpointing'

export default async function register(): Promise<PluginContribution> {
  return {
    apiVersion: 1,
    benchmarks: [{
      name: 'checkpointing',
      description: 'MLPerf Storage checkpointing: llama3 8b/70b/405b/1t checkpoints written and read back by emulated accelerators',
      resultsFolder: 'checkpointing',
      optionsSchema: CheckpointingOptionsSchema,
      runOptionsSchema: CheckpointingCommandOptionsSchema,
      runOptionFlags: CHECKPOINTING_RUN_OPTION_FLAGS,
    }],
    apply(lifecycle) {
      lifecycle.preValidate.tapPromise(PLUGIN, async ctx => {
        const run = runWithOptions(ctx, CheckpointingRunOptionsSchema)
        if (ctx.benchmark !== 'checkpointing' || ctx.command !== 'run' || !run) return
        for (const finding of checkpointRunFindings(run)) ctx.addFinding(finding)
        const pair = pairOf(ctx)
        if (pair) for (const finding of await cacheClearPreflight(ctx, pair)) ctx.addFinding(finding)
      })
      lifecycle.collect.tapPromise({name: PLUGIN, stage: LifecycleStage.Derived}, async ctx => {
        const pair = ctx.benchmark === 'checkpointing' ? pairOf(ctx) : undefined
        if (pair) await recordPairFacts(ctx, pair)
      })
    },
  }
}

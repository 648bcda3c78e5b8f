import type {PluginContribution} from 'mlps'
import {CheckpointingOptionsSchema} from '../options.js'
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
    }],
    apply(lifecycle) {
      lifecycle.preValidate.tapPromise(PLUGIN, async ctx => {
        if (ctx.benchmark !== 'checkpointing' || ctx.command !== 'run') return
        for (const finding of checkpointRunFindings(ctx)) ctx.addFinding(finding)
      })
    },
  }
}

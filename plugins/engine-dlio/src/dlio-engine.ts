import {type DlioRunOptions, DlioRunOptionsSchema, requireRunOptions} from '@mlps/run-options'
import type {EngineDefinition, RunContext} from 'mlps'
import {executeDlio} from './dlio-execute.js'
import {DlioOptionsSchema} from './dlio-options.js'
import {planDlio} from './dlio-plan.js'

/** The run narrowed to the DLIO-shaped options every benchmark it runs hands it (training's, checkpointing's). */
const dlioRun = (ctx: RunContext): RunContext<DlioRunOptions> => requireRunOptions(ctx, DlioRunOptionsSchema, 'the dlio engine')

/**
 * The real DLIO (engines.md §1–2), started under the configured or detected launcher with the
 * reference's exact command line, its outputs checked and parsed. DLIO is installed by the user; mlps
 * checks it and never bundles it.
 */
export const dlioEngine: EngineDefinition = {
  name: 'dlio',
  description: 'the DLIO benchmark (Python, installed separately) under mpirun, mpiexec or srun; CLOSED-eligible',
  supports: {training: ['datagen', 'run'], checkpointing: ['run']},
  closedEligible: true,
  optionsSchema: DlioOptionsSchema,
  plan: ctx => planDlio(dlioRun(ctx)),
  execute: ctx => executeDlio(dlioRun(ctx)),
}

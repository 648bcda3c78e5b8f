/** The shared workload contract (core `src/workload/dlio-workload.ts`), imported in one place. */
import {type DlioTrainingWorkload, MlpsError, type RunContext} from 'mlps'

export type {DlioDataset, DlioTrainingWorkload, DlioWorkload, ParquetColumn, ParquetDtype} from 'mlps'

/**
 * The workload of a training command, dataset included. Checkpoint-only
 * workloads have no dataset section, so a training path that got one is told
 * so here rather than failing on an undefined field somewhere deeper.
 */
export function trainingWorkload(ctx: RunContext): DlioTrainingWorkload {
  const {workload} = ctx
  if (!workload?.dataset) {
    throw new MlpsError(`${ctx.benchmark} ${ctx.command} gave the native engine ${workload ? 'a workload without a dataset section' : 'no workload'}`, {
      fix: `this is a bug in the ${ctx.benchmark} plugin: a training workload must describe its dataset`,
    })
  }
  return workload as DlioTrainingWorkload
}

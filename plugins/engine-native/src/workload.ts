import type {DlioTrainingWorkload, DlioWorkload} from '@mlps/run-options'
import {MlpsError} from 'mlps'

export type {DlioDataset, DlioTrainingWorkload, DlioWorkload, ParquetColumn, ParquetDtype} from '@mlps/run-options'

/**
 * The workload of a training command, dataset included. Checkpoint-only
 * workloads have no dataset section, so a training path that got one is told
 * so here rather than failing on an undefined field somewhere deeper.
 */
export function trainingWorkload(ctx: {benchmark: string; command: string; options: {workload?: DlioWorkload}}): DlioTrainingWorkload {
  const {workload} = ctx.options
  if (!workload || !hasDataset(workload)) {
    throw new MlpsError(`${ctx.benchmark} ${ctx.command} gave the native engine ${workload ? 'a workload without a dataset section' : 'no workload'}`, {
      fix: `this is a bug in the ${ctx.benchmark} plugin: a training workload must describe its dataset`,
    })
  }
  return workload
}

function hasDataset(workload: DlioWorkload): workload is DlioTrainingWorkload {
  return workload.dataset !== undefined
}

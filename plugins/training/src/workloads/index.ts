import {MlpsError} from 'mlps'

import {cosmoflow} from './cosmoflow.js'
import {dlrm} from './dlrm.js'
import {flux} from './flux.js'
import {resnet50} from './resnet50.js'
import {retinanet} from './retinanet.js'
import {
  ACCELERATORS, TRAINING_MODELS,
  type Accelerator, type DlioTrainingWorkload, type Division, type EditionName, type ModelWorkloads,
  type RunWorkload, type TrainingModel, type WorkloadSupport,
} from './types.js'
import {unet3d} from './unet3d.js'

export {ACCELERATORS, TRAINING_MODELS} from './types.js'
export type {
  Accelerator, DlioTrainingWorkload, Division, EditionName, ModelWorkloads, ParquetColumn, ParquetDtype, RunWorkload,
  TrainingModel, WorkloadSupport,
} from './types.js'

export interface SupportedPair {
  model: TrainingModel
  accelerator: Accelerator
  divisions: readonly Division[]
  closedEditions: readonly EditionName[]
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

// Frozen as well as copied on the way out: code that reaches the model files directly cannot change
// the published values either.
const catalogue: Readonly<Record<TrainingModel, ModelWorkloads>> = deepFreeze({
  unet3d, resnet50, cosmoflow, retinanet, dlrm, flux,
})

export function isTrainingModel(name: string): name is TrainingModel {
  return (TRAINING_MODELS as readonly string[]).includes(name)
}

export function isAccelerator(name: string): name is Accelerator {
  return (ACCELERATORS as readonly string[]).includes(name)
}

/** Every (model, accelerator) pair with a run config, in catalogue order. */
export function supportedPairs(): SupportedPair[] {
  return TRAINING_MODELS.flatMap(model => ACCELERATORS.flatMap(accelerator => {
    const run = catalogue[model].runs[accelerator]
    return run ? [{model, accelerator, divisions: [...run.support.divisions], closedEditions: [...run.support.closedEditions]}] : []
  }))
}

function describePairs(pairs: readonly SupportedPair[]): string {
  return TRAINING_MODELS
    .map(model => `${model}: ${pairs.filter(p => p.model === model).map(p => p.accelerator).join(', ')}, datagen`)
    .join('; ')
}

/** Bad input (exit code 2): an unknown model, or an accelerator the model has no config for. The fix lists what is supported. */
export class UnsupportedWorkloadError extends MlpsError {
  readonly model: string
  readonly target: string
  readonly supported: SupportedPair[]

  constructor(model: string, target: string, reason: string) {
    const supported = supportedPairs()
    super(`no training workload for model "${model}" with "${target}": ${reason}`, {
      fix: `use one of the supported pairs: ${describePairs(supported)}`,
    })
    this.name = 'UnsupportedWorkloadError'
    this.model = model
    this.target = target
    this.supported = supported
  }
}

function findModel(model: string, target: string): ModelWorkloads {
  if (!isTrainingModel(model)) {
    throw new UnsupportedWorkloadError(model, target, `unknown model; models are ${TRAINING_MODELS.join(', ')}`)
  }
  return catalogue[model]
}

function findRun(model: string, accelerator: string): RunWorkload {
  const entry = findModel(model, accelerator)
  if (!isAccelerator(accelerator)) {
    throw new UnsupportedWorkloadError(model, accelerator, `unknown accelerator; accelerators are ${ACCELERATORS.join(', ')}`)
  }
  const run = entry.runs[accelerator]
  if (!run) throw new UnsupportedWorkloadError(model, accelerator, entry.missing?.[accelerator] ?? `${model} has no ${accelerator} config`)
  return run
}

/**
 * The DLIO workload for a run on `target`, or the model's datagen workload. Returns a fresh copy the
 * caller may change (e.g. with applyParams) without touching the catalogue.
 */
export function getWorkload(model: string, target: string): DlioTrainingWorkload {
  const workload = target === 'datagen' ? findModel(model, target).datagen : findRun(model, target).workload
  return structuredClone(workload)
}

/** Which divisions accept this pair, and which CLOSED rounds it was part of. */
export function getWorkloadSupport(model: string, accelerator: string): WorkloadSupport {
  const {support} = findRun(model, accelerator)
  return {divisions: [...support.divisions], closedEditions: [...support.closedEditions]}
}

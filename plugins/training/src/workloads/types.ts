import type {DlioTrainingWorkload} from '@mlps/run-options'

export type {DlioTrainingWorkload, ParquetColumn, ParquetDtype} from '@mlps/run-options'

export const TRAINING_MODELS = ['unet3d', 'resnet50', 'cosmoflow', 'retinanet', 'dlrm', 'flux'] as const
export type TrainingModel = (typeof TRAINING_MODELS)[number]

export const ACCELERATORS = ['a100', 'h100', 'b200', 'mi355'] as const
export type Accelerator = (typeof ACCELERATORS)[number]

/** The reference's modes (L2 `mlpstorage <closed|open|whatif> …`); whatif runs are never submittable. */
export type Division = 'closed' | 'open' | 'whatif'

/** MLPerf Storage rounds whose CLOSED division accepted this (model, accelerator) pair. */
export type EditionName = '2.0' | '3.0'

export interface WorkloadSupport {
  divisions: readonly Division[]
  closedEditions: readonly EditionName[]
}

export interface RunWorkload {
  workload: DlioTrainingWorkload
  support: WorkloadSupport
}

/** Everything we know about one model: its per-accelerator run configs and its datagen config. */
export interface ModelWorkloads {
  model: TrainingModel
  runs: Partial<Record<Accelerator, RunWorkload>>
  datagen: DlioTrainingWorkload
  /** Pairs a rules edition names but for which our references hold no values; shown when someone asks for them. */
  missing?: Partial<Record<Accelerator, string>>
}

/** v3.0: unet3d and retinanet on b200/mi355 are CLOSED and OPEN (`MODELS_CLOSED = MODELS_OPEN`, `ACCELERATORS_CLOSED`). */
export const V3_SUBMITTABLE: WorkloadSupport = {divisions: ['closed', 'open', 'whatif'], closedEditions: ['3.0']}
/** a100/h100 configs of the v2.0 CLOSED models: only `whatif` in v3.0 (mlpstorage-spec.md §3.2, ManPage). */
export const V2_CLOSED_NOW_WHATIF: WorkloadSupport = {divisions: ['whatif'], closedEditions: ['2.0']}
/** Configs that ship with the v3.0 tool but were never part of a CLOSED round (dlrm, flux). */
export const WHATIF_ONLY: WorkloadSupport = {divisions: ['whatif'], closedEditions: []}

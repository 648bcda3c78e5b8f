import {getWorkload} from './workloads/index.js'

/**
 * dlrm and flux ship datagen configs that write fewer samples per file than
 * their run configs read (1,536,000 vs 4,718,592; 256 vs 288). The datagen
 * we print must write the files the run will read, so it says so.
 */
export function samplesPerFileParam(model: string, runSamplesPerFile: number, params: readonly string[]): string[] {
  if (params.some(param => param.startsWith('dataset.num_samples_per_file='))) return []
  const datagenSamplesPerFile = getWorkload(model, 'datagen').dataset.num_samples_per_file
  return datagenSamplesPerFile === runSamplesPerFile ? [] : [`dataset.num_samples_per_file=${runSamplesPerFile}`]
}

/** Sections the datagen may be given beyond its own workload's: where the dataset is stored (object storage). */
const DATAGEN_EXTRA_SECTIONS = new Set(['storage'])

/**
 * The run's --param values that concern writing the dataset: those in a section of the model's datagen
 * workload (dataset, framework, ...) or in storage. A run-only value (train.epochs, reader.read_threads)
 * would add to datagen a section its workload does not have, which the datagen rejects as incomplete.
 */
export function datagenParams(model: string, params: readonly string[]): string[] {
  const sections = new Set([...Object.keys(getWorkload(model, 'datagen')), ...DATAGEN_EXTRA_SECTIONS])
  return params.filter(param => sections.has(param.split(/[.=]/, 1)[0]))
}

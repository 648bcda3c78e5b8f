import {parseParam} from '@mlps/run-options'
import type {Datasize} from './datasize.js'

/** Shown in place of --data-dir when the user has not chosen one, so the command cannot run by accident. */
export const DATA_DIR_PLACEHOLDER = '<DATA_DIR>'

// datasize sets these itself; echoing the user's own values too would contradict the computed ones
const KEYS_SET_BY_DATASIZE = new Set(['dataset.num_files_train', 'dataset.num_subfolders_train'])

export interface DatagenArgvOptions {
  hosts?: readonly string[]
  dataDir?: string
  resultsDir?: string
  /** the user's other --param values as typed (key=value); kept in order, each as its own argv pair */
  params?: readonly string[]
}

/**
 * The `mlps training datagen` argv that generates the dataset datasize sized. It is an array, not a
 * string, so it can be run or shell-quoted without re-parsing; the reference printed `--k=v` flags its
 * own CLI rejected (mlpstorage-spec.md §12.1 item 17).
 */
export function buildDatagenArgv(
  size: Pick<Datasize, 'model' | 'accelerators' | 'numFilesTrain' | 'numSubfoldersTrain'>,
  options: DatagenArgvOptions = {},
): string[] {
  const userParams = (options.params ?? []).filter(param => !KEYS_SET_BY_DATASIZE.has(parseParam(param).key))
  return [
    'mlps', 'training', 'datagen',
    '--model', size.model,
    '--num-accelerators', String(size.accelerators),
    '--param', `dataset.num_files_train=${size.numFilesTrain}`,
    ...(size.numSubfoldersTrain > 0 ? ['--param', `dataset.num_subfolders_train=${size.numSubfoldersTrain}`] : []),
    ...userParams.flatMap(param => ['--param', param]),
    ...(options.hosts && options.hosts.length > 0 ? ['--hosts', options.hosts.join(',')] : []),
    '--data-dir', options.dataDir ?? DATA_DIR_PLACEHOLDER,
    ...(options.resultsDir === undefined ? [] : ['--results-dir', options.resultsDir]),
  ]
}

import {storagePathsOf} from '../doctor/checks/fs-separation.js'
import type {RunContext} from '../lifecycle/run-context.js'
import type {Registry} from '../registry/registry.js'
import {objectStorageSettings} from './object-storage-settings.js'
import type {RecordedStorage} from './recorded-storage.js'
import {parseStorageLocation, type StorageLocation} from './storage-location.js'

/** One storage path the run's benchmark declares (a folder it reads or writes), read as a location. */
export interface RunStoragePath {
  /** its name in fs_separation.json and the record: data_dir, checkpoint_folder, ... */
  role: string
  /** the run option it comes from, e.g. dataFolder */
  option: string
  location: StorageLocation
}

/** The storage paths of a run, each a folder or a bucket prefix. */
export function runStoragePaths(registry: Registry, run: RunContext): RunStoragePath[] {
  return storagePathsOf(registry, run).map(({role, option, path}) => ({role, option, location: parseStorageLocation(path, option)}))
}

/** The run's storage paths that are in object storage. */
export function objectStoragePaths(registry: Registry, run: RunContext): Array<RunStoragePath & {location: Extract<StorageLocation, {kind: 'object'}>}> {
  return runStoragePaths(registry, run).filter((path): path is RunStoragePath & {location: Extract<StorageLocation, {kind: 'object'}>} => path.location.kind === 'object')
}

export function recordedStorage(paths: readonly RunStoragePath[], run: RunContext): RecordedStorage[] {
  const settings = objectStorageSettings(run.config)
  return paths.map(({role, location}) => location.kind === 'filesystem'
    ? {role, kind: 'filesystem' as const, path: location.path}
    : {role, kind: 'object' as const, uri: location.uri, ...(settings.endpoint ? {endpoint: settings.endpoint} : {}), region: settings.region})
}

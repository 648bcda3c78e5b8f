import {type Lifecycle, LifecycleStage} from '../lifecycle/lifecycle.js'
import type {Registry} from '../registry/registry.js'
import {recordedStorage, runStoragePaths} from './run-storage.js'

/**
 * Before anything is checked, the record says where the storage under test is: a folder, or a bucket prefix
 * with its endpoint (the rules read it: fs_separation does not apply to object storage).
 */
export function tapStorageRecord(registry: Registry, lifecycle: Lifecycle): void {
  lifecycle.preValidate.tapPromise({name: 'mlps:storage', stage: LifecycleStage.Core}, async ctx => {
    const paths = runStoragePaths(registry, ctx)
    if (paths.length > 0) ctx.record.storage = recordedStorage(paths, ctx)
  })
}

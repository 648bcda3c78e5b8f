import type {DlioOptions} from './dlio-options.js'

/**
 * The storage keys the reference injects for object storage (mlpstorage-spec.md §3.4, `--object`),
 * each unless the user set it: they are tool-injected, not user overrides (L2 TOOL_INJECTED_PARAMS,
 * storage#494), so the rules do not count them against CLOSED.
 */
export function objectStorageParams(options: DlioOptions, userOverrides: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const storage = options.objectStorage
  if (!storage) return {}
  const params: Record<string, unknown> = {
    'storage.storage_type': 's3',
    'storage.storage_root': storage.bucket,
    'storage.storage_options.storage_library': storage.library,
    'storage.storage_options.uri_scheme': storage.uriScheme,
  }
  if (storage.forcePathStyle) params['storage.s3_force_path_style'] = true
  return Object.fromEntries(Object.entries(params).filter(([key]) => !Object.hasOwn(userOverrides, key)))
}

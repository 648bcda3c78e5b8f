import type {DlioRunOptions, DlioWorkload} from '@mlps/run-options'
import {MlpsError, type RunContext} from 'mlps'
import {isObjectStorageUri, objectStorageSettings, parseStorageLocation, type StorageLocation} from 'mlps/unstable'
import type {DlioOptions} from './dlio-options.js'

type ObjectLocation = Extract<StorageLocation, {kind: 'object'}>

/** What DLIO needs to run on a bucket: its `--param` keys, the variables mlps sets, those it forwards by name. */
export interface DlioObjectStorage {
  bucket: string
  params: Record<string, unknown>
  env: Record<string, string>
  forwarded: string[]
}

/**
 * The storage keys the reference injects for object storage (mlpstorage-spec.md §3.4, `--object`), each
 * unless the user set it: tool-injected, not user overrides (L2 TOOL_INJECTED_PARAMS, storage#494), so the
 * rules do not count them against CLOSED. The bucket comes from the data dir or checkpoint folder URI; the
 * endpoint and region from the site config's objectStorage, handed to DLIO as AWS_ENDPOINT_URL / AWS_REGION,
 * which every library of the v3.0 DLIO reads (dlio_benchmark/storage/obj_store_lib.py) — an endpoint in a
 * workload YAML is the hard-coded endpoint of storage#325. Undefined for a run on a filesystem.
 */
export function dlioObjectStorage(ctx: RunContext<DlioRunOptions>, options: DlioOptions): DlioObjectStorage | undefined {
  const {workload} = ctx.options
  const data = objectLocation(workload.dataset?.data_folder, 'dataset.data_folder')
  const checkpoint = objectLocation(workload.checkpoint?.checkpoint_folder, 'checkpoint.checkpoint_folder')
  const bucket = data?.bucket ?? checkpoint?.bucket
  if (bucket === undefined) return undefined
  if (data && checkpoint && data.bucket !== checkpoint.bucket) {
    throw new MlpsError(`the dataset is in bucket ${data.bucket} and the checkpoints in ${checkpoint.bucket}; DLIO takes one bucket (storage.storage_root)`, {
      where: 'engines.dlio', fix: 'put the dataset and the checkpoints in the same bucket, or run them separately',
    })
  }
  const {library, uriScheme} = options.objectStorage
  const settings = objectStorageSettings(ctx.config)
  const params: Record<string, unknown> = {
    'storage.storage_type': 's3',
    'storage.storage_root': bucket,
    'storage.storage_options.storage_library': library,
    'storage.storage_options.uri_scheme': uriScheme,
  }
  if (settings.forcePathStyle) {
    params['storage.s3_force_path_style'] = true
    // the v3.0 DLIO reads path style for s3torchconnector from storage_options only, as text (obj_store_lib.py)
    if (library === 's3torchconnector') params['storage.storage_options.s3_force_path_style'] = 'true'
  }
  // the dataset under the bucket (storage_root) is its key prefix, as the reference passes it; the checkpoint
  // folder is DLIO's checkpoint storage's own namespace (base_checkpointing.py), so it stays a whole URI
  if (data) params['dataset.data_folder'] = data.prefix
  if (checkpoint) params['checkpoint.checkpoint_folder'] = `${uriScheme}://${checkpoint.bucket}${checkpoint.prefix === '' ? '' : `/${checkpoint.prefix}`}`
  const userOverrides = ctx.parameters.userOverrides
  return {
    bucket,
    params: Object.fromEntries(Object.entries(params).filter(([key]) => !Object.hasOwn(userOverrides, key))),
    env: {...settings.endpoint ? {AWS_ENDPOINT_URL: settings.endpoint} : {}, AWS_REGION: settings.region},
    forwarded: options.objectStorage.credentialsEnv,
  }
}

function objectLocation(folder: string | undefined, key: string): ObjectLocation | undefined {
  if (folder === undefined || !isObjectStorageUri(folder)) return undefined
  return parseStorageLocation(folder, key) as ObjectLocation
}

/** Whether the workload reads or writes a bucket: its dataset or checkpoint folder is an s3:// URI. */
export function workloadOnBucket(workload: DlioWorkload | undefined): boolean {
  return [workload?.dataset?.data_folder, workload?.checkpoint?.checkpoint_folder].some(folder => folder !== undefined && isObjectStorageUri(folder))
}

import path from 'node:path'
import {MlpsError} from 'mlps'
import {type ObjectStorageConfig, type ObjectStore, isObjectStorageUri, objectKey, openObjectStore, parseStorageLocation} from 'mlps/unstable'

import type {DlioDataset} from '../workload.js'
import {trainFileRelativePath} from '../formats/dataset-layout.js'

/** A prefix in a bucket, as worker threads receive it: plain data, each thread opens its own client. */
export interface ObjectTarget {
  config: ObjectStorageConfig | undefined
  bucket: string
  prefix: string
  /** s3://bucket/prefix, for messages */
  uri: string
  /** the flag or key the location came from, for errors */
  where: string
}

/** The object target of a data folder or checkpoint folder given as s3://bucket/prefix; undefined for a filesystem path. */
export function objectTargetOf(folder: string, config: ObjectStorageConfig | undefined, where: string): ObjectTarget | undefined {
  const location = parseStorageLocation(folder, where)
  if (location.kind === 'filesystem') return undefined
  return {config, bucket: location.bucket, prefix: location.prefix, uri: location.uri, where}
}

export function keyOf(target: ObjectTarget, relativePath: string): string {
  return objectKey(target, relativePath)
}

/** DLIO's train file names (dataset-layout.ts) as keys under the prefix: `<prefix>/train/[<sub>/]<name>`. */
export function trainObjectKey(dataset: DlioDataset, target: ObjectTarget, index: number): string {
  return keyOf(target, path.posix.join('train', trainFileRelativePath(dataset, index)))
}

/** A client of the target's bucket; `signal` cancels its requests (a multipart upload's abort excepted). */
export function openTarget(target: ObjectTarget, maxSockets?: number, signal?: AbortSignal): Promise<ObjectStore> {
  return openObjectStore(target.config, {bucket: target.bucket, where: target.where, maxSockets, signal})
}

/**
 * Ranks on host workers (several hosts, or through a launcher) would each need the endpoint's
 * credentials in their own environment, which mlps does not carry over SSH or MPI; until it does,
 * such a run on a bucket stops before it starts rather than failing on every host.
 */
export function refuseObjectStorageOnHosts(folder: string, where: string): void {
  if (!isObjectStorageUri(folder)) return
  throw new MlpsError(`the native engine reads and writes ${folder} from this host only; its ranks on other hosts would have no S3 credentials`, {
    where, fix: 'run the native engine on one host (no --hosts/--hostfile, no launcher) for object storage, or use --engine dlio',
  })
}

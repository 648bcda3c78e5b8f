import path from 'node:path'
import {type ObjectStorageConfig, type ObjectStore, type ObjectStoreCredentials, objectKey, openObjectStore, parseStorageLocation, resolveObjectStoreCredentials} from 'mlps/unstable'

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
  /** handed over by the controller of a run over hosts; else the config's credential source is read where the store opens */
  credentials?: ObjectStoreCredentials
}

/** The object target of a data folder or checkpoint folder given as s3://bucket/prefix; undefined for a filesystem path. */
export function objectTargetOf(folder: string, config: ObjectStorageConfig | undefined, where: string, credentials?: ObjectStoreCredentials): ObjectTarget | undefined {
  const location = parseStorageLocation(folder, where)
  if (location.kind === 'filesystem') return undefined
  return {config, bucket: location.bucket, prefix: location.prefix, uri: location.uri, where, ...(credentials ? {credentials} : {})}
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
  return openObjectStore(target.config, {bucket: target.bucket, where: target.where, maxSockets, signal, credentials: target.credentials})
}

/**
 * What a host worker needs to reach the bucket of a run over hosts: the same endpoint, region and
 * path style, and the credentials resolved here. They travel in the task, over the rendezvous (as
 * every other setting of the engine does), never on a command line (visible in ps on every host)
 * nor in the launch's environment (which a record lists); a worker keeps them in memory only.
 * Undefined when the folder is not a bucket.
 */
export interface HostObjectStorage {
  config: ObjectStorageConfig | undefined
  credentials: ObjectStoreCredentials
}

export async function hostObjectStorage(folder: string, config: ObjectStorageConfig | undefined, where: string): Promise<HostObjectStorage | undefined> {
  if (!objectTargetOf(folder, config, where)) return undefined
  return {config, credentials: await resolveObjectStoreCredentials(config)}
}

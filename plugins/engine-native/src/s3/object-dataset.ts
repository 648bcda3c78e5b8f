import type {DlioDataset} from '../workload.js'
import type {DatasetFormat} from '../formats/dataset-format.js'
import {DatasetNotReadyError} from '../training/dataset-listing.js'
import {type ObjectTarget, openTarget, trainObjectKey} from './object-target.js'

/** Objects looked at before a run: enough to catch a missing or different dataset, few enough for millions of objects. */
const CHECKED_OBJECTS = 32

/**
 * The training objects of a run, named from the workload as DLIO v3 does with `skip_listing` (a bucket
 * is never listed: that took hours on buckets of millions of objects), in the order the filesystem
 * listing gives (sorted names). A spread of them is checked with HEAD requests, as DLIO's
 * `listing_validation_interval` checks one in N: missing objects, or ones shorter than planned
 * for formats whose planned sizes are DLIO's own, stop the run before it starts.
 */
export async function trainingObjectKeys(dataset: DlioDataset, target: ObjectTarget, format: DatasetFormat): Promise<string[]> {
  const indices = Array.from({length: dataset.num_files_train}, (_, i) => i)
  const keys = indices.map(i => trainObjectKey(dataset, target, i))
  const step = Math.max(1, Math.floor(indices.length / CHECKED_OBJECTS))
  const checked = [...new Set([...indices.filter(i => i % step === 0).slice(0, CHECKED_OBJECTS), indices.length - 1])].filter(i => i >= 0)
  const store = await openTarget(target, checked.length)
  try {
    await store.headBucket()
    const problems = (await Promise.all(checked.map(async i => {
      const head = await store.headObject(keys[i])
      if (head === undefined) return `s3://${target.bucket}/${keys[i]} is missing`
      const planned = format.plannedFileSize(i)
      return format.plannedSizesMatchDlio && head.size < planned ? `s3://${target.bucket}/${keys[i]} has ${head.size} of ${planned} bytes` : undefined
    }))).filter((problem): problem is string => problem !== undefined)
    if (problems.length > 0) {
      throw new DatasetNotReadyError(
        `the training objects under ${target.uri}/train are not the planned dataset (${problems.length} of ${checked.length} checked): ${problems.slice(0, 3).join('; ')}. ` +
          'Generate it first (mlps training datagen with the same workload and --data-dir); it rewrites objects whose size does not match the plan.',
      )
    }
  } finally {
    store.close()
  }
  return keys.sort()
}

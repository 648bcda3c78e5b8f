import path from 'node:path'

import {checkpointId, type ShardFile} from '../checkpoint/checkpoint-protocol.js'
import {keyOf, type ObjectTarget, openTarget} from './object-target.js'

const HEAD_CONCURRENCY = 16

/** checkpoint/run-checkpoints.ts's assertCheckpointsPresent for a bucket: every shard of checkpoints 1..n, at its exact size (HEAD requests, no listing). */
export async function assertCheckpointObjectsPresent(target: ObjectTarget, ranks: readonly (readonly ShardFile[])[], count: number): Promise<void> {
  const shards = Array.from({length: count}, (_, i) => ranks.flat().map(file => ({key: keyOf(target, path.posix.join(checkpointId(i + 1), file.name)), bytes: file.bytes}))).flat()
  const store = await openTarget(target, HEAD_CONCURRENCY)
  const problems: string[] = []
  try {
    await store.headBucket()
    for (let at = 0; at < shards.length && problems.length < 5; at += HEAD_CONCURRENCY) {
      const heads = await Promise.all(shards.slice(at, at + HEAD_CONCURRENCY).map(async shard => ({shard, head: await store.headObject(shard.key)})))
      for (const {shard, head} of heads) {
        const name = `s3://${target.bucket}/${shard.key}`
        if (head === undefined) problems.push(`${name} is missing`)
        else if (head.size !== shard.bytes) problems.push(`${name} has ${head.size} bytes, not ${shard.bytes}`)
      }
    }
  } finally {
    store.close()
  }
  if (problems.length > 0) {
    throw new Error(`the checkpoints to read are not all there: ${problems.slice(0, 5).join('; ')}. Write them first with the same model, processes and scale (--num-checkpoints-read 0)`)
  }
}

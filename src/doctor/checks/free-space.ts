import {statfs} from 'node:fs/promises'
import {formatBytes} from '../../ux/format.js'
import type {PlannedWrite} from '../../lifecycle/run-context.js'
import type {CheckContext, CheckResult, PreflightCheck} from '../check.js'
import {nearestExistingDir} from '../nearest-dir.js'
import {notApplicableToObjectStorage} from '../../storage/not-applicable.js'
import {isObjectStorageUri} from '../../storage/storage-location.js'

/** What the run will write, as the benchmark declared it (a dataset, the files it writes). */
export function plannedWrites(ctx: CheckContext): PlannedWrite[] {
  return ctx.run?.plannedWrites ?? []
}

/** The file system of the longest mount point that holds `path`, from a host's snapshot. */
function availableFromSnapshot(filesystems: Array<{mountPoint: string; availableBytes: number}>, path: string): {mountPoint: string; availableBytes: number} | undefined {
  return filesystems
    .filter(fs => path === fs.mountPoint || path.startsWith(fs.mountPoint.endsWith('/') ? fs.mountPoint : `${fs.mountPoint}/`))
    .sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0]
}

async function available(ctx: CheckContext, host: string, path: string): Promise<{bytes: number; where: string} | {unknown: string}> {
  if (ctx.isLocal(host)) {
    const dir = await nearestExistingDir(path)
    if (!dir) return {unknown: `no folder on the way to ${path}`}
    const stats = await statfs(dir)
    return {bytes: Number(stats.bavail) * Number(stats.bsize), where: dir}
  }
  const snapshot = await ctx.cluster()
  const facts = snapshot?.hosts.find(h => h.host === host)
  const found = facts?.volatile.filesystems ? availableFromSnapshot(facts.volatile.filesystems, path) : undefined
  if (!found) return {unknown: facts ? `${host} reported no file system holding ${path}` : `no facts from ${host}`}
  return {bytes: found.availableBytes, where: found.mountPoint}
}

const DATASET_FIX = 'free space, point --data-dir at a larger file system, or write fewer files (--param dataset.num_files_train=N)'

/** Free space on every host against what the run will write (mlpstorage-spec.md §10.1, `check_disk_space`). */
export const freeSpaceCheck: PreflightCheck = {
  id: 'mlps.freeSpace',
  title: 'free space for the planned data',
  runsOn: 'hosts',
  appliesTo: ctx => plannedWrites(ctx).length > 0,
  async run(ctx, host): Promise<CheckResult> {
    const lines: string[] = []
    const fixes: string[] = []
    let short = false
    // a bucket has no free space to ask for (and statvfs('s3://...') is the crash of storage#568)
    const inBuckets = plannedWrites(ctx).filter(write => isObjectStorageUri(write.path))
    if (inBuckets.length > 0) lines.push(`${inBuckets.map(write => write.what).join(', ')}: ${notApplicableToObjectStorage(inBuckets.map(write => write.path))}`)
    for (const write of plannedWrites(ctx).filter(write => !isObjectStorageUri(write.path))) {
      const free = await available(ctx, host, write.path)
      if ('unknown' in free) return {status: 'skip', detail: `not evaluable: ${free.unknown}`}
      if (free.bytes < write.bytes) {
        short = true
        fixes.push(write.fix ?? DATASET_FIX)
      }
      lines.push(`${write.what} needs about ${formatBytes(write.bytes)} in ${write.path}; ${free.where} has ${formatBytes(free.bytes)} free`)
    }
    return short
      ? {status: 'fail', detail: lines.join('; '), fix: [...new Set(fixes)].join('; ')}
      : {status: 'ok', detail: lines.join('; ')}
  },
}

import type {RunContext} from '../../lifecycle/run-context.js'
import type {Registry} from '../../registry/registry.js'
import {type HostSeparation, measureSeparation, type PathSeparation, type StoragePath} from '../../results/fs-separation.js'
import {type CheckResult, type PreflightCheck, runOf} from '../check.js'
import {notApplicableToObjectStorage} from '../../storage/not-applicable.js'
import {isObjectStorageUri} from '../../storage/storage-location.js'

/** run.state key: host → what was measured there (or why nothing was), for the leaf's fs_separation.json */
export const FS_SEPARATION_STATE = 'mlps:fsSeparation'

export type SeparationByHost = Map<string, HostSeparation | {host: string; unmeasured: string}>

/** The storage paths the run's benchmark declares, with the values this run gives them. */
export function storagePathsOf(registry: Registry, run: RunContext): StoragePath[] {
  const declared = registry.benchmarks.get(run.benchmark)?.definition.storagePaths ?? {}
  return Object.entries(declared).flatMap(([option, role]) => {
    const value = option.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), run.options)
    return typeof value === 'string' && value.length > 0 ? [{role, option, path: value}] : []
  })
}

const describe = (p: PathSeparation) => `${p.role} ${p.path} (${p.fs_type ?? '?'} ${p.source ?? ''} on ${p.mount_point}, device ${p.device}, hard link: ${p.link.result})`

/**
 * Rules 3.4.2 / 4.4.2 / 5.4.2: the storage under test and the results are on
 * different filesystems. Measured on every host before the run (device ids,
 * mount, and a hard link that must fail with EXDEV); the leaf keeps what was
 * measured as fs_separation.json. One filesystem stops a CLOSED run; a run
 * that cannot be CLOSED anyway (OPEN, or an engine that is an emulation) is
 * warned.
 */
export function fsSeparationCheck(registry: Registry): PreflightCheck {
  return {
    id: 'mlps.fsSeparation',
    title: 'the storage under test and the results dir are on different filesystems',
    runsOn: 'hosts',
    modes: ['run'],
    appliesTo: ctx => storagePathsOf(registry, runOf(ctx)).length > 0,
    async run(ctx, host): Promise<CheckResult> {
      const run = runOf(ctx)
      // a bucket is not a filesystem: only the folders among the storage paths are measured
      const [inBuckets, folders] = partition(storagePathsOf(registry, run), path => isObjectStorageUri(path.path))
      const objectStorage = inBuckets.length > 0 ? notApplicableToObjectStorage(inBuckets.map(path => `${path.role} ${path.path}`)) : undefined
      if (folders.length === 0) return {status: 'ok', detail: objectStorage!}
      const byHost = (run.state.get(FS_SEPARATION_STATE) ?? new Map()) as SeparationByHost
      run.state.set(FS_SEPARATION_STATE, byHost)
      let measured: HostSeparation
      try {
        measured = await measureSeparation(ctx.shell(host), ctx.config.resultsDir, folders, ctx.signal)
      } catch (error) {
        const reason = (error as Error).message
        byHost.set(host, {host, unmeasured: reason})
        return {status: 'skip', detail: `not measured: ${reason}`, fix: 'make sure sh, stat, mktemp and ln run on the host'}
      }
      byHost.set(host, measured)
      const results = measured.results_dir
      const resultsText = `the results dir ${results.path} (${results.fs_type ?? '?'} on ${results.mount_point}, device ${results.device})`
      const shared = measured.paths.filter(p => p.same_filesystem)
      if (shared.length === 0) return {status: 'ok', detail: [`${measured.paths.map(describe).join('; ')}: another filesystem than ${resultsText}`, objectStorage].filter(Boolean).join('; ')}
      const flags = registry.benchmarks.get(run.benchmark)?.definition.runOptionFlags ?? {}
      const closedEligible = run.division === 'closed' && (run.engine?.closedEligible ?? true)
      return {
        status: closedEligible ? 'fail' : 'warn', kind: 'input',
        detail: `${shared.map(describe).join('; ')}: the same filesystem as ${resultsText}`,
        fix: `put the results on another filesystem than the storage under test (--results-dir), or ${shared.map(p => flags[p.option] ?? p.option).join(', ')} on the storage under test`,
      }
    },
  }
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter(item => !test(item))]
}

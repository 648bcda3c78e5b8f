import {type Rule} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'

/**
 * Rules 3.4.2, 4.4.2 and 5.4.2 read the same proof: the `fs_separation.json`
 * mlps writes into every leaf from what it measured on every host before the
 * run (device ids, mounts, a hard link that must fail with EXDEV). One
 * filesystem is an error in CLOSED and a warning in OPEN, as the preflight
 * judged it before the run. A bucket is no filesystem: when the run record
 * says the storage under test (`role`) was object storage, the rule does not
 * apply and there is nothing to prove.
 */
export function filesystemSeparationRule(spec: {id: string; benchmark: string; storage: string; role: string; commands?: readonly string[]; source: string}): Rule<'run'> {
  return defineRule({
    id: spec.id,
    scope: 'run',
    title: `${spec.storage} and the results are on different filesystems (fs_separation.json)`,
    source: spec.source,
    severity: 'error',
    benchmarks: [spec.benchmark],
    ...(spec.commands ? {commands: spec.commands} : {}),
    check(run) {
      const storage = (run.record?.storage ?? []).filter(entry => entry.role === spec.role)
      if (storage.length > 0 && storage.every(entry => entry.kind === 'object')) return pass()
      const document = run.documents['fs_separation.json'] as {same_filesystem?: unknown; hosts?: unknown} | undefined
      if (!document) {
        return notEvaluable(`${run.path}: no fs_separation.json, so the filesystem separation is unproven`, {fix: 'keep the fs_separation.json mlps wrote into the leaf (or the df block of the run\'s stdout log)'})
      }
      const evidence = [{file: `${run.path}/fs_separation.json`, path: 'same_filesystem', value: document.same_filesystem}]
      if (document.same_filesystem === false) return pass()
      if (document.same_filesystem === true) {
        const division = run.division ?? (run.metadata?.division as string | undefined)
        return fail(`${run.path}: ${spec.storage} and the results are on the same filesystem`, {
          evidence, severity: division === 'open' ? 'warn' : 'error', fix: 'put the results on a different filesystem from the storage under test',
        })
      }
      return notEvaluable(`${run.path}: fs_separation.json has no boolean same_filesystem (a host was not measured)`, {evidence})
    },
  })
}

export const checkpointFilesystemSeparation = filesystemSeparationRule({
  id: '4.4.2 checkpointFilesystemCheck', benchmark: 'checkpointing', storage: 'the checkpoint folder', role: 'checkpoint_folder',
  source: 'rules.md §1.2 (R 4.4.x: checkpoint folder and results dir on different filesystems; mlpstorage-spec.md §2.14 CAP-03)',
})

export const vdbFilesystemSeparation = filesystemSeparationRule({
  id: '5.4.2 vdbFilesystemCheck', benchmark: 'vector_database', storage: 'the vector database storage', role: 'data_dir',
  source: 'mlpstorage-spec.md §2.14 CAP-03 and §9 (5.4.x paths/FS)',
})

export const kvcacheFilesystemSeparation = filesystemSeparationRule({
  id: '6.4.1 kvcacheCacheFilesystem', benchmark: 'kv_cache', storage: 'the KV cache dir', role: 'cache_dir', commands: ['run'],
  source: 'rules.md §1.3 (R 6.4.1: cache dir and results dir on different filesystems; CAP-03 writes the proof)',
})

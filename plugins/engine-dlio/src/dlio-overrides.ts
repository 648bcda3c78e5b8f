import {isDeepStrictEqual} from 'node:util'
import type {DlioWorkload} from '@mlps/run-options'
import {MlpsError} from 'mlps'

export interface OverrideSources {
  userOverrides: Readonly<Record<string, unknown>>
  toolInjected: Readonly<Record<string, unknown>>
  baseWorkload?: DlioWorkload
  workload?: DlioWorkload
}

function isSection(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function leaves(node: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (isSection(node)) for (const [key, value] of Object.entries(node)) leaves(value, prefix ? `${prefix}.${key}` : key, out)
  else out.set(prefix, node)
  return out
}

/**
 * The `workload.*` overrides DLIO gets, in the reference's order (mlpstorage-spec.md §3.4, §3.5): the
 * user's `--param` values as typed, then what the tool injects (data folder, checkpoint counts and
 * folder, subset mode), a tool value taking the place of a user value for the same key as the
 * reference's dict assignment did. Then any other key where the effective workload differs from the
 * shipped one, so DLIO always runs exactly the recorded workload.
 */
export function dlioOverrides(sources: OverrideSources): Array<[string, unknown]> {
  const merged = new Map<string, unknown>(Object.entries(sources.userOverrides))
  for (const [key, value] of Object.entries(sources.toolInjected)) merged.set(key, value)
  if (sources.baseWorkload && sources.workload) {
    const base = leaves(sources.baseWorkload, '', new Map())
    for (const [key, value] of leaves(sources.workload, '', new Map())) {
      if (merged.has(key) || isDeepStrictEqual(base.get(key), value)) continue
      if (Array.isArray(value)) {
        throw new MlpsError(`workload key ${key} is a list that differs from the shipped workload; DLIO cannot be given a list override`, {
          fix: 'leave list values (such as parquet columns) as the workload defines them',
        })
      }
      merged.set(key, value)
    }
  }
  return [...merged]
}

import {parse as parseYaml} from 'yaml'

export interface HydraOverrides {
  /** `workload=unet3d_a100` → "unet3d_a100" */
  workload?: string
  /** `++workload.<key>=<value>` entries, dotted key → YAML-typed value */
  params: Record<string, unknown>
}

/**
 * DLIO's hydra `overrides.yaml` (engines.md §2): a YAML list of
 * `key=value` strings. Values are typed the way hydra types them
 * (`True` → true, `24500` → 24500).
 */
export function parseHydraOverrides(text: string): HydraOverrides {
  const list = parseYaml(text) as unknown
  if (!Array.isArray(list)) throw new Error('expected a YAML list of key=value strings')
  const result: HydraOverrides = {params: {}}
  for (const entry of list) {
    if (typeof entry !== 'string') continue
    const equals = entry.indexOf('=')
    if (equals < 0) continue
    const key = entry.slice(0, equals).replace(/^\+{1,2}/, '')
    const raw = entry.slice(equals + 1)
    if (key === 'workload') result.workload = raw
    else if (key.startsWith('workload.')) result.params[key.slice('workload.'.length)] = scalar(raw)
  }
  return result
}

function scalar(raw: string): unknown {
  if (raw === 'True') return true
  if (raw === 'False') return false
  try {
    const value = parseYaml(raw) as unknown
    return value === null || typeof value === 'object' ? raw : value
  } catch {
    return raw
  }
}

/** DLIO's hydra `config.yaml`: the effective workload under `workload:`. */
export function parseHydraConfig(text: string): Record<string, unknown> {
  const parsed = parseYaml(text) as unknown
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a YAML mapping')
  const workload = (parsed as Record<string, unknown>).workload
  return (workload && typeof workload === 'object' && !Array.isArray(workload) ? workload : parsed) as Record<string, unknown>
}

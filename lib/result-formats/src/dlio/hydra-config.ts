import {readFile} from 'node:fs/promises'
import {parse} from 'yaml'
import {ExitCode, MlpsError} from 'mlps'

/** One hydra command-line override as `overrides.yaml` records it, e.g. `++workload.reader.read_threads=8`. */
export interface HydraOverride {
  raw: string
  /** '' (set), '+' (add), '++' (add or set), '~' (delete) */
  prefix: '' | '+' | '++' | '~'
  key: string
  /** the text after the first "=", as typed */
  value: string
}

export interface HydraOverrideList {
  /** the `workload=<name>` choice, e.g. unet3d_h100 */
  workload?: string
  overrides: HydraOverride[]
  /** `workload.`-keyed overrides, dotted key under workload → value as typed (the run's parameter overrides) */
  workloadParams: Record<string, string>
}

export interface HydraRuntime {
  runDir?: string
  outputSubdir?: string
  outputDir?: string
  workload?: string
  hydraVersion?: string
  /** the task overrides (same list as overrides.yaml) */
  task: string[]
  /** hydra's own overrides, e.g. ++hydra.run.dir=... */
  hydra: string[]
}

function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text)
  } catch (error) {
    throw new MlpsError(`not valid YAML: ${(error as Error).message.split('\n')[0]}`, {where: file, exitCode: ExitCode.RunFailed})
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function parseHydraOverride(raw: string): HydraOverride {
  const match = /^(\+\+|\+|~)?([^=]+?)(?:=(.*))?$/s.exec(raw.trim())
  if (!match) return {raw, prefix: '', key: raw, value: ''}
  return {raw, prefix: (match[1] ?? '') as HydraOverride['prefix'], key: match[2], value: match[3] ?? ''}
}

/** hydra's `overrides.yaml`: a YAML list of the task overrides (engines.md §2.6). */
export function parseHydraOverrideList(text: string, file = 'overrides.yaml'): HydraOverrideList {
  const raw = parseYaml(text, file) ?? []
  if (!Array.isArray(raw) || !raw.every(item => typeof item === 'string')) {
    throw new MlpsError('expected a list of override strings', {where: file, exitCode: ExitCode.RunFailed})
  }
  const overrides = raw.map(item => parseHydraOverride(item))
  const workloadParams: Record<string, string> = {}
  let workload: string | undefined
  for (const override of overrides) {
    if (override.key === 'workload' && override.prefix === '') workload = override.value
    else if (override.key.startsWith('workload.')) workloadParams[override.key.slice('workload.'.length)] = override.value
  }
  return {workload, overrides, workloadParams}
}

/** hydra's `config.yaml`: the composed `workload:` tree with the overrides applied. */
export function parseHydraComposedConfig(text: string, file = 'config.yaml'): {workload: Record<string, unknown>} {
  const raw = parseYaml(text, file)
  if (!isRecord(raw) || !isRecord(raw.workload)) {
    throw new MlpsError('expected a top-level "workload:" section', {where: file, exitCode: ExitCode.RunFailed})
  }
  return {workload: raw.workload}
}

/** hydra's `hydra.yaml`: where the run wrote, which workload was chosen, hydra's version. */
export function parseHydraRuntime(text: string, file = 'hydra.yaml'): HydraRuntime {
  const raw = parseYaml(text, file)
  const hydra = isRecord(raw) && isRecord(raw.hydra) ? raw.hydra : undefined
  if (!hydra) throw new MlpsError('expected a top-level "hydra:" section', {where: file, exitCode: ExitCode.RunFailed})
  const get = (...path: string[]): unknown => path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), hydra)
  const text_ = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined)
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [])
  return {
    runDir: text_(get('run', 'dir')),
    outputSubdir: text_(get('output_subdir')),
    outputDir: text_(get('runtime', 'output_dir')),
    workload: text_(get('runtime', 'choices', 'workload')),
    hydraVersion: text_(get('runtime', 'version')),
    task: list(get('overrides', 'task')),
    hydra: list(get('overrides', 'hydra')),
  }
}

export async function readHydraOverrideList(file: string): Promise<HydraOverrideList> {
  return parseHydraOverrideList(await readFile(file, 'utf8'), file)
}

export async function readHydraComposedConfig(file: string): Promise<{workload: Record<string, unknown>}> {
  return parseHydraComposedConfig(await readFile(file, 'utf8'), file)
}

export async function readHydraRuntime(file: string): Promise<HydraRuntime> {
  return parseHydraRuntime(await readFile(file, 'utf8'), file)
}

import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import type {z} from 'zod'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {envLayer, setPath} from './env-layer.js'
import {describeSource, isPlainObject, mergeLayer, type PlainObject, sourceOf, type ValueSource} from './provenance.js'
import {type MlpsConfig, MlpsConfigSchema} from './schema.js'
import {rememberObjectSecrets} from '../util/redact-secrets.js'

export const CONFIG_MODULE_NAME = 'mlps'

/** cosmiconfig's defaults plus the YAML/JSON `mlps.config.*` names people expect. */
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  '.mlpsrc', '.mlpsrc.json', '.mlpsrc.yaml', '.mlpsrc.yml', '.mlpsrc.js', '.mlpsrc.mjs', '.mlpsrc.cjs', '.mlpsrc.ts',
  '.config/mlpsrc', '.config/mlpsrc.json', '.config/mlpsrc.yaml', '.config/mlpsrc.yml', '.config/mlpsrc.js', '.config/mlpsrc.mjs',
  'mlps.config.ts', 'mlps.config.mjs', 'mlps.config.js', 'mlps.config.cjs', 'mlps.config.json', 'mlps.config.yaml', 'mlps.config.yml',
]

/** A value a command flag sets, with the flag's spelling for provenance. */
export interface FlagValue {
  path: string
  value: unknown
  flag: string
}

export interface LoadConfigOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** an explicit file (`--config`, or MLPS_CONFIG_FILE); no search then */
  configFile?: string
  flags?: FlagValue[]
}

export interface ResolvedConfig {
  config: MlpsConfig
  /** dotted key path → where its value came from */
  sources: Map<string, ValueSource>
  /** the config file used, if any */
  file?: string
}

async function loadTypeScriptConfig(filepath: string): Promise<unknown> {
  // cosmiconfig's own .ts loader needs the TypeScript compiler at run time and
  // writes a temp file beside the config; tsx does neither.
  const {tsImport} = await import('tsx/esm/api')
  const module = await tsImport(filepath, import.meta.url) as {default?: {default?: unknown} | unknown}
  const value = module.default as {default?: unknown} | undefined
  return value && typeof value === 'object' && 'default' in value ? value.default : value
}

async function findConfigFile(options: LoadConfigOptions): Promise<{file: string; content: unknown} | undefined> {
  const {cosmiconfig} = await import('cosmiconfig')
  const cwd = options.cwd ?? process.cwd()
  const explorer = cosmiconfig(CONFIG_MODULE_NAME, {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: 'global',
    loaders: {'.ts': loadTypeScriptConfig},
    mergeImportArrays: false,
  })
  const explicit = options.configFile ?? options.env?.MLPS_CONFIG_FILE
  try {
    if (explicit) {
      const file = resolve(cwd, explicit)
      if (!existsSync(file)) {
        throw new MlpsError(`config file ${file} does not exist`, {fix: 'check the --config path or MLPS_CONFIG_FILE'})
      }
      const result = await explorer.load(file)
      return result ? {file: result.filepath, content: result.config} : undefined
    }
    const result = await explorer.search(cwd)
    return result && !result.isEmpty ? {file: result.filepath, content: result.config} : undefined
  } catch (error) {
    if (error instanceof MlpsError) throw error
    const file = (error as {filepath?: string}).filepath ?? explicit ?? 'config file'
    throw new MlpsError(`cannot parse the config: ${(error as Error).message}`, {
      where: file, exitCode: ExitCode.BadInput, fix: 'fix the syntax (YAML/JSON/JS) and run `mlps config show` again',
    })
  }
}

/**
 * Resolve the configuration: defaults < config file < MLPS_* environment <
 * flags, keeping where each value came from, then validate the result once.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const env = options.env ?? process.env
  const sources = new Map<string, ValueSource>()
  let merged: PlainObject = {}
  const found = await findConfigFile({...options, env})
  if (found) {
    if (!isPlainObject(found.content)) {
      throw new MlpsError('the config must be an object of settings', {where: found.file, fix: 'see `mlps config init` for a starter file'})
    }
    merged = mergeLayer(merged, found.content, {kind: 'file', file: found.file}, sources)
  }
  const fromEnv = envLayer(MlpsConfigSchema, env)
  for (const binding of fromEnv.bindings) {
    const layer: PlainObject = {}
    setPath(layer, binding.path, pathValue(fromEnv.layer, binding.path))
    merged = mergeLayer(merged, layer, {kind: 'env', variable: binding.variable}, sources)
  }
  for (const flag of options.flags ?? []) {
    if (flag.value === undefined) continue
    const layer: PlainObject = {}
    setPath(layer, flag.path.split('.'), flag.value)
    merged = mergeLayer(merged, layer, {kind: 'flag', flag: flag.flag}, sources)
  }
  const parsed = MlpsConfigSchema.safeParse(merged)
  if (!parsed.success) throw configError(parsed.error, sources)
  // a password or key in the config file is as secret as one on the command line
  rememberObjectSecrets(parsed.data)
  return {config: parsed.data, sources, file: found?.file}
}

function pathValue(object: PlainObject, path: string[]): unknown {
  return path.reduce<unknown>((value, key) => (isPlainObject(value) ? value[key] : undefined), object)
}

function configError(error: z.ZodError, sources: Map<string, ValueSource>): MlpsError {
  const lines = error.issues.map(issue => {
    const keys = issue.code === 'unrecognized_keys' ? (issue as {keys: string[]}).keys : [undefined]
    return keys.map(extra => {
      const path = [...issue.path, ...(extra ? [extra] : [])].map(String).join('.') || '(root)'
      const source = describeSource(sourceOf(path, sources))
      return `  ${path} (from ${source}): ${extra ? 'unknown key' : issue.message}\n    fix: ${fixFor(issue, extra)}`
    }).join('\n')
  })
  return new MlpsError(`invalid configuration:\n${lines.join('\n')}`, {
    exitCode: ExitCode.BadInput,
    fix: 'correct the keys above; `mlps config schema` prints every key with its type',
  })
}

function fixFor(issue: z.core.$ZodIssue, extra: string | undefined): string {
  if (extra) return `remove "${extra}" or check its spelling`
  if (issue.code === 'custom' && typeof issue.params?.fix === 'string') return issue.params.fix
  if (issue.code === 'invalid_value') return `use one of ${(issue.values as unknown[]).map(v => JSON.stringify(v)).join(', ')}`
  if (issue.code === 'invalid_type') return `give a value of type ${issue.expected}`
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'give a value within the allowed range'
  return 'give a valid value'
}

import type {z} from 'zod'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {PlainObject} from './provenance.js'

/**
 * Environment overrides: every schema key has a variable named MLPS_ plus
 * its path in SCREAMING_SNAKE, nesting joined by a double underscore
 * (resultsDir → MLPS_RESULTS_DIR, ssh.user → MLPS_SSH__USER). Names oclif
 * itself reads (MLPS_DATA_DIR, MLPS_CONFIG_DIR, MLPS_DEBUG, ...) are never
 * produced because no config key is named like them.
 */
export function envVariableName(path: string[]): string {
  return 'MLPS_' + path.map(part => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__')
}

type Def = {type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as {_zod: {def: Def}})._zod.def
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema
  for (let def = defOf(current); def.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(def.type); def = defOf(current)) {
    current = def.innerType
  }
  return current
}

export interface EnvBinding {path: string[]; variable: string}

export function envLayer(schema: z.ZodType, env: NodeJS.ProcessEnv): {layer: PlainObject; bindings: EnvBinding[]} {
  const layer: PlainObject = {}
  const bindings: EnvBinding[] = []
  walk(schema, [], (path, leaf) => {
    const variable = envVariableName(path)
    const raw = env[variable]
    if (raw === undefined || raw === '') return
    setPath(layer, path, coerce(raw, leaf, variable))
    bindings.push({path, variable})
  })
  return {layer, bindings}
}

/** Every config key that an environment variable can set, for docs and `config show`. */
export function envBindings(schema: z.ZodType): EnvBinding[] {
  const bindings: EnvBinding[] = []
  walk(schema, [], path => bindings.push({path, variable: envVariableName(path)}))
  return bindings
}

function walk(schema: z.ZodType, path: string[], visit: (path: string[], leaf: z.ZodType) => void): void {
  const inner = unwrap(schema)
  const def = defOf(inner)
  if (def.type === 'object' && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) if (!key.startsWith('$')) walk(child, [...path, key], visit)
    return
  }
  visit(path, inner)
}

function coerce(raw: string, leaf: z.ZodType, variable: string): unknown {
  const type = defOf(leaf).type
  if (type === 'number') {
    const value = Number(raw)
    if (!Number.isFinite(value)) {
      throw new MlpsError(`${variable}=${JSON.stringify(raw)} is not a number`, {exitCode: ExitCode.BadInput, fix: `set ${variable} to a number or unset it`})
    }
    return value
  }
  if (type === 'boolean') {
    if (/^(true|1|yes)$/i.test(raw)) return true
    if (/^(false|0|no)$/i.test(raw)) return false
    throw new MlpsError(`${variable}=${JSON.stringify(raw)} is not a boolean`, {fix: `set ${variable} to true or false`})
  }
  if (type === 'array') return raw.split(/[\s,]+/).filter(Boolean)
  if (type === 'record') {
    try {
      return JSON.parse(raw)
    } catch {
      throw new MlpsError(`${variable} must hold a JSON object`, {fix: `e.g. ${variable}='{"key": "value"}'`})
    }
  }
  return raw
}

export function setPath(target: PlainObject, path: string[], value: unknown): void {
  let cursor = target
  for (const key of path.slice(0, -1)) {
    if (typeof cursor[key] !== 'object' || cursor[key] === null) cursor[key] = {}
    cursor = cursor[key] as PlainObject
  }
  cursor[path.at(-1)!] = value
}

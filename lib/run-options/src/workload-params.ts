import {MlpsError} from 'mlps'
import {nearestName} from 'mlps/unstable'
import {KNOWN_DLIO_KEYS, OPEN_DLIO_SECTIONS} from './dlio-known-keys.js'

/** The flag these errors are about; named in every message so the user knows what to edit. */
const FLAG = '--param'

export type ParamValue = string | number | boolean

export interface ParamAssignment {
  key: string
  /** the raw text after the first "=", which may itself contain "=" */
  value: string
}

export interface AppliedParam {
  key: string
  value: ParamValue
  /** the value before this override; undefined when the key is new to the workload */
  previous: ParamValue | undefined
  /** given with --new-param: a key neither the workload nor DLIO's known configuration has */
  added?: boolean
}

/** The flag that adds a key mlps does not know; its runs cannot be CLOSED (the rules refuse unknown overrides). */
export const NEW_PARAM_FLAG = '--new-param'

/** Bad input (exit code 2); `render()` shows `--param "<argument>": <problem>` and then the fix. */
export class ParamError extends MlpsError {
  /** the --param argument as the user typed it */
  readonly param: string

  constructor(param: string, problem: string, fix: string) {
    super(problem, {where: `${FLAG} ${JSON.stringify(param)}`, fix})
    this.name = 'ParamError'
    this.param = param
  }
}

const EXAMPLE = `${FLAG} dataset.num_files_train=28000`
const LIST_FIX = `leave it as the workload defines it; ${FLAG} sets single values, not list entries such as parquet columns`
const KEY_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/
// Keys are walked into plain objects; these would reach Object.prototype instead.
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const BOOLEAN = /^(true|false)$/i

// DLIO uses these as counts; a fraction or a negative number would fail deep inside a run instead of here.
const COUNT_KEYS = new Set([
  'dataset.num_files_train', 'dataset.num_files_eval', 'dataset.num_samples_per_file',
  'dataset.num_subfolders_train', 'dataset.num_subfolders_eval', 'dataset.parquet.row_group_size',
  'reader.batch_size', 'reader.read_threads', 'reader.computation_threads', 'reader.prefetch_size',
  'reader.shuffle_size', 'reader.transfer_size', 'train.epochs',
])

// a run needs at least one of each: zero files, bytes or epochs is nothing to measure (the run options'
// schema, which reports every problem at once, already wants a batch and samples per file above 0)
const POSITIVE_KEYS = new Set(['dataset.num_files_train', 'dataset.record_length_bytes', 'train.epochs'])
// larger counts than any storage system holds; DLIO would turn them into arrays or BigInts and fail mid-run
const MAX_COUNT = 1e12
// seconds: a year at most between checkpoints or of compute per step
const DURATION_KEYS = new Set([
  'train.computation_time', 'train.computation_time_stdev', 'checkpoint.time_between_checkpoints',
  'reader.preprocess_time', 'reader.preprocess_time_stdev', 'evaluation.eval_time', 'evaluation.eval_time_stdev',
])
const MAX_SECONDS = 31_536_000

/** Split one `key=value` argument at its first "=" and check the key is a dotted path. */
export function parseParam(param: string): ParamAssignment {
  const equals = param.indexOf('=')
  if (equals < 0) throw new ParamError(param, 'expected key=value', `write it as ${EXAMPLE}`)
  const key = param.slice(0, equals).trim()
  if (key === '') throw new ParamError(param, 'the key before "=" is empty', `name the workload key, as in ${EXAMPLE}`)
  const segments = key.split('.')
  if (!segments.every(segment => KEY_SEGMENT.test(segment) && !UNSAFE_SEGMENTS.has(segment))) {
    throw new ParamError(param, `"${key}" is not a dotted path of names`, `use names joined by dots, as in ${EXAMPLE}`)
  }
  return {key, value: param.slice(equals + 1)}
}

/** The number the text spells, or undefined; "1e999" and "0x10" are not numbers here. */
function finiteNumber(text: string): number | undefined {
  const trimmed = text.trim()
  if (!DECIMAL.test(trimmed)) return undefined
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : undefined
}

function valueByLook(text: string): ParamValue {
  const number = finiteNumber(text)
  if (number !== undefined) return number
  if (BOOLEAN.test(text.trim())) return text.trim().toLowerCase() === 'true'
  return text
}

function coerce(param: string, key: string, text: string, previous: unknown): ParamValue {
  const trimmed = text.trim()
  let value: ParamValue
  if (typeof previous === 'number') {
    const number = finiteNumber(text)
    if (number === undefined) {
      throw new ParamError(param, `${key} expects a number (it is ${previous}) but got "${text}"`, `pass a number, e.g. ${FLAG} ${key}=${previous}`)
    }
    value = number
  } else if (typeof previous === 'boolean') {
    if (!BOOLEAN.test(trimmed)) {
      throw new ParamError(param, `${key} expects true or false (it is ${previous}) but got "${text}"`, `pass ${FLAG} ${key}=${!previous}`)
    }
    value = trimmed.toLowerCase() === 'true'
  } else if (typeof previous === 'string') {
    value = text
  } else {
    // DLIO accepts keys our catalogue does not carry (storage.*, dataset.num_subfolders_train, …)
    value = valueByLook(text)
  }
  const example = `${FLAG} ${key}=${typeof previous === 'number' && previous > 0 ? previous : 1}`
  if (COUNT_KEYS.has(key) && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    throw new ParamError(param, `${key} is a count and needs a whole number ≥ 0, but got "${text}"`, `pass a whole number, e.g. ${example}`)
  }
  if (POSITIVE_KEYS.has(key) && !(typeof value === 'number' && value > 0)) {
    throw new ParamError(param, `${key} must be greater than 0, but got "${text}"`, `pass a positive number, e.g. ${example}`)
  }
  if ((COUNT_KEYS.has(key) || POSITIVE_KEYS.has(key)) && typeof value === 'number' && value > MAX_COUNT) {
    throw new ParamError(param, `${key} is ${text}, beyond the limit of ${MAX_COUNT}`, `pass a realistic value, e.g. ${example}`)
  }
  if (DURATION_KEYS.has(key) && !(typeof value === 'number' && value >= 0 && value <= MAX_SECONDS)) {
    throw new ParamError(param, `${key} is a duration in seconds and needs a number from 0 to ${MAX_SECONDS} (a year), but got "${text}"`, `pass seconds, e.g. ${example}`)
  }
  return value
}

function isSection(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Every dotted path of a single value in the workload. */
function leafKeys(section: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(section).flatMap(([name, value]) => isSection(value) ? leafKeys(value, `${prefix}${name}.`) : [`${prefix}${name}`])
}

/** Whether the key is there, or a part of its path holds a value or a list (which applyOne refuses in its own words). */
function isPresentOrBlocked(root: Record<string, unknown>, key: string): boolean {
  let section: unknown = root
  for (const segment of key.split('.')) {
    if (!isSection(section)) return true
    if (!Object.hasOwn(section, segment)) return false
    section = section[segment]
  }
  return true
}

/** A key the workload lacks must be one DLIO knows, or be asked for with --new-param: a typo never adds a key. */
function requireKnownKey(root: Record<string, unknown>, param: string, key: string): void {
  if (isPresentOrBlocked(root, key) || KNOWN_DLIO_KEYS.has(key) || OPEN_DLIO_SECTIONS.some(section => key.startsWith(section))) return
  const nearest = nearestName(key, new Set([...leafKeys(root), ...KNOWN_DLIO_KEYS]))
  const value = param.slice(param.indexOf('=') + 1)
  throw new ParamError(param, `${key} is not a key of this workload nor one DLIO is known to take${nearest ? `; did you mean ${nearest}?` : ''}`,
    `${nearest ? `write ${FLAG} ${nearest}=${value}, or ` : ''}to add the key anyway pass ${NEW_PARAM_FLAG} ${key}=${value} (the run is then OPEN at most)`)
}

function applyOne(root: Record<string, unknown>, param: string, mayAdd: boolean): AppliedParam {
  const {key, value: text} = parseParam(param)
  if (!mayAdd) requireKnownKey(root, param, key)
  const segments = key.split('.')
  const leaf = segments.pop() as string
  let section = root
  let path = ''
  for (const segment of segments) {
    path = path ? `${path}.${segment}` : segment
    const next = Object.hasOwn(section, segment) ? section[segment] : undefined
    if (next === undefined) {
      section[segment] = {}
    } else if (Array.isArray(next)) {
      throw new ParamError(param, `${path} is a list, so ${key} cannot be set inside it`, LIST_FIX)
    } else if (!isSection(next)) {
      throw new ParamError(param, `${path} holds the value ${JSON.stringify(next)}, so ${key} cannot be set inside it`, `set ${path} itself, or check the key's spelling`)
    }
    section = section[segment] as Record<string, unknown>
  }
  const previous = Object.hasOwn(section, leaf) ? section[leaf] : undefined
  if (Array.isArray(previous)) {
    throw new ParamError(param, `${key} is a list, not a single value`, LIST_FIX)
  }
  if (isSection(previous)) {
    const keys = Object.keys(previous).map(k => `${key}.${k}`).join(', ')
    throw new ParamError(param, `${key} is a section of the workload, not a single value`, `set one of its keys instead: ${keys}`)
  }
  const value = coerce(param, key, text, previous)
  section[leaf] = value
  return {key, value, previous: previous as ParamValue | undefined, ...(mayAdd && previous === undefined ? {added: true} : {})}
}

/**
 * Apply `key=value` overrides in order (a later one wins) to a copy of the workload. Each value takes
 * the type of the field it replaces. `params` may name only keys of the workload or of DLIO's known
 * configuration (exit 2 with the nearest key otherwise); `newParams` (--new-param) may add any key,
 * typed by its look.
 */
export function applyParams<W extends object>(workload: W, params: readonly string[], newParams: readonly string[] = []): {workload: W; applied: AppliedParam[]} {
  const copy = structuredClone(workload)
  const root = copy as unknown as Record<string, unknown>
  const applied = [...params.map(param => applyOne(root, param, false)), ...newParams.map(param => applyOne(root, param, true))]
  return {workload: copy, applied}
}

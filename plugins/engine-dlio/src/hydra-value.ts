// Characters hydra's override grammar takes unquoted in a value; anything else (spaces, ",", "=",
// quotes, brackets, "$") would change how hydra reads it, so such values are quoted.
const UNQUOTED = /^[A-Za-z0-9_\-./:~@+]+$/
// strings hydra would read as another type when unquoted
const LOOKS_TYPED = /^(?:true|false|null|[-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf))$/i

/**
 * A value as hydra's `++key=value` override needs it written. Booleans are spelled as the reference
 * spells them (`True`), numbers as numbers, and strings are quoted whenever hydra would otherwise read
 * them differently (a path with a space broke the reference's overrides, engines.md §1.2).
 */
export function hydraValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot pass ${value} to hydra`)
    return String(value)
  }
  if (value === null) return 'null'
  if (typeof value !== 'string') throw new Error(`cannot pass a ${Array.isArray(value) ? 'list' : typeof value} as one hydra value`)
  if (UNQUOTED.test(value) && !LOOKS_TYPED.test(value)) return value
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('${', '\\${')}'`
}

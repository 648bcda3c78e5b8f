import {isPlainObject} from './provenance.js'

/** Leaves of a config object as dotted paths; arrays and empty objects are leaves. */
export function flattenConfig(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([key, inner]) => flattenConfig(inner, prefix ? `${prefix}.${key}` : key))
  }
  return [[prefix, value]]
}

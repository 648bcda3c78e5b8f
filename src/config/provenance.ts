/** Where a resolved config value came from. */
export type ValueSource =
  | {kind: 'default'}
  | {kind: 'file'; file: string}
  | {kind: 'env'; variable: string}
  | {kind: 'flag'; flag: string}

export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'default': return 'default'
    case 'file': return `file ${source.file}`
    case 'env': return `env ${source.variable}`
    case 'flag': return `flag ${source.flag}`
  }
}

export type PlainObject = Record<string, unknown>

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Deep-merge `layer` over `base`, recording the source of every leaf it sets.
 * Arrays are leaves: a host list from a flag replaces the file's, it is never
 * concatenated with it.
 */
export function mergeLayer(
  base: PlainObject, layer: PlainObject, source: ValueSource,
  sources: Map<string, ValueSource>, prefix = '',
): PlainObject {
  const merged: PlainObject = {...base}
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue
    const path = prefix ? `${prefix}.${key}` : key
    if (isPlainObject(value) && isPlainObject(merged[key])) {
      merged[key] = mergeLayer(merged[key] as PlainObject, value, source, sources, path)
    } else {
      for (const known of sources.keys()) if (known.startsWith(`${path}.`)) sources.delete(known)
      merged[key] = value
      recordLeaves(value, path, source, sources)
    }
  }
  return merged
}

function recordLeaves(value: unknown, path: string, source: ValueSource, sources: Map<string, ValueSource>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) recordLeaves(inner, `${path}.${key}`, source, sources)
  } else {
    sources.set(path, source)
  }
}

/** The source of a path, or of its nearest recorded ancestor. */
export function sourceOf(path: string, sources: Map<string, ValueSource>): ValueSource {
  for (let probe = path; probe; probe = probe.includes('.') ? probe.slice(0, probe.lastIndexOf('.')) : '') {
    const found = sources.get(probe)
    if (found) return found
  }
  for (const [known, source] of sources) if (known.startsWith(`${path}.`)) return source
  return {kind: 'default'}
}

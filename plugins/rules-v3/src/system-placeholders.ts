/**
 * How the generated v3.0 system description marks what no tool can know:
 * a string that says what to fill in, so the file reads as its own form.
 */
const PLACEHOLDER = /^<fill in: (.*)>$/s

export const placeholder = (what: string) => `<fill in: ${what}>`

export const isPlaceholder = (value: unknown): value is string => typeof value === 'string' && PLACEHOLDER.test(value)

/** What a placeholder asks for. */
export const placeholderText = (value: string) => PLACEHOLDER.exec(value)?.[1] ?? value

/** The YAML path of a node, as the findings name it: `system_under_test.clients[0].chassis.model_name`. */
export function yamlPath(path: ReadonlyArray<string | number | symbol>): string {
  return path.reduce<string>((text, key) => typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key), '')
}

/** Every placeholder in a parsed document, by its YAML path. */
export function placeholdersIn(node: unknown, path: Array<string | number> = []): Array<{path: string; what: string}> {
  if (isPlaceholder(node)) return [{path: yamlPath(path), what: placeholderText(node)}]
  if (Array.isArray(node)) return node.flatMap((item, index) => placeholdersIn(item, [...path, index]))
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([key, value]) => placeholdersIn(value, [...path, key]))
  return []
}

/** Whether the node at `path`, or one of its parents, is still a placeholder (the placeholder rule names it; the schema need not). */
export function underPlaceholder(document: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let node = document
  for (const key of path) {
    if (isPlaceholder(node)) return true
    if (!node || typeof node !== 'object') return false
    node = (node as Record<PropertyKey, unknown>)[key]
  }
  return isPlaceholder(node)
}

/** `json.dump(obj, f, indent=4)`'s layout, as DLIO writes its JSON files (no trailing newline). */
export function dlioJson(value: unknown): string {
  return JSON.stringify(value, null, 4)
}

import {readFile} from 'node:fs/promises'

// The last line of a Python traceback (`Exception: Not enough training dataset is found; ...`,
// `ValueError: ...`, `AssertionError`), and DLIO's own error lines
const PYTHON_ERROR = /^((?:[A-Za-z_]\w*\.)*(?:[A-Za-z_]\w*)?(?:Error|Exception)|SystemExit|KeyboardInterrupt)(?::\s*(.*))?$/
const DLIO_ERROR = /^\[(?:ERROR|CRITICAL)\]\s+(?:\d{4}-\d\d-\d\dT[\d:.]+\s+)?(.*)$/

/**
 * DLIO's own last error, from what it printed: hydra reports a failed job (`Error executing job with
 * overrides: ...`) and its exception on stderr only, never in dlio.log, so a failed run's reason must
 * come from the console logs. Undefined when they hold none.
 */
export function lastEngineError(text: string): string | undefined {
  let found: string | undefined
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim()
    const python = PYTHON_ERROR.exec(line)
    if (python) {
      found = python[2] ? `${python[1]}: ${python[2]}` : python[1]
      continue
    }
    const dlio = DLIO_ERROR.exec(line)
    if (dlio) found = dlio[1]
  }
  return found
}

/** The last error in the first of `files` (stderr, then stdout) that holds one. */
export async function lastEngineErrorIn(files: readonly string[]): Promise<string | undefined> {
  for (const file of files) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      continue
    }
    const error = lastEngineError(text)
    if (error) return error
  }
  return undefined
}

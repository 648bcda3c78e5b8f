import {parseTolerantJson} from 'mlps/unstable'

export interface QueryStdout {
  /** "valid", "degraded: …" or "invalid: …" from the `RESULT:` line */
  result?: string
  /** the object after "Benchmark statistics as JSON:" (with --json-output) */
  statistics?: unknown
}

/** What vdbbench's stdout ends with (engines.md §4.4): `RESULT: valid` and `Benchmark statistics as JSON: {…}`. */
export function parseQueryStdout(text: string): QueryStdout {
  const out: QueryStdout = {}
  const result = [...text.matchAll(/^RESULT:\s*(.+?)\s*$/gm)].at(-1)
  if (result) out.result = result[1]
  const marker = text.lastIndexOf('Benchmark statistics as JSON:')
  if (marker >= 0) {
    const rest = text.slice(marker + 'Benchmark statistics as JSON:'.length)
    const start = rest.indexOf('{')
    const end = rest.lastIndexOf('}')
    if (start >= 0 && end > start) out.statistics = parseTolerantJson(rest.slice(start, end + 1))
  }
  return out
}

export interface LoadLog {
  insertedVectors: number
  insertSeconds: number
  generateSeconds?: number
  flushSeconds?: number
  indexCreateSeconds?: number
  lastBatch?: {done: number; of: number}
}

/**
 * The facts load-vdb logs on stderr (engines.md §4.3, from a real v3.0
 * datagen log): it writes no JSON, so the load is read from these lines.
 * "Inserted N vectors in X seconds" is logged once per chunk; they add up.
 */
export function parseLoadLog(text: string): LoadLog {
  const log: LoadLog = {insertedVectors: 0, insertSeconds: 0}
  for (const match of text.matchAll(/Inserted (\d+) vectors in ([\d.]+) seconds/g)) {
    log.insertedVectors += Number(match[1])
    log.insertSeconds += Number(match[2])
  }
  const seconds = (pattern: RegExp) => {
    const match = [...text.matchAll(pattern)].at(-1)
    return match ? Number(match[1]) : undefined
  }
  log.generateSeconds = seconds(/Generated all \d+ vectors in ([\d.]+) seconds/g)
  log.flushSeconds = seconds(/Flush completed in ([\d.]+) seconds/g)
  log.indexCreateSeconds = seconds(/Index creation command completed in ([\d.]+) seconds/g)
  const batch = [...text.matchAll(/Inserted batch (\d+)\/(\d+)/g)].at(-1)
  if (batch) log.lastBatch = {done: Number(batch[1]), of: Number(batch[2])}
  return log
}

import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parseQueryStdout} from './vdbbench-logs.js'
import {parseVdbbenchStatistics, type VdbbenchStatistics} from './vdbbench-statistics.js'
import {parseVdbbenchVerdict, type VdbbenchVerdict} from './vdbbench-verdict.js'

export async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch {
    return undefined
  }
}

export interface RunOutputs {
  stats?: VdbbenchStatistics
  verdict?: VdbbenchVerdict
  /** the `RESULT:` line when there is no result_verdict.json */
  result?: string
  /** files found, relative to the folder read */
  artifacts: string[]
}

/**
 * What one vdbbench query run left in `dir` (engines.md §4.4): statistics.json, else the
 * statistics line of its stdout log (which also crosses SSH when the folder is not shared),
 * and result_verdict.json. What is missing stays missing, never zero.
 */
export async function readRunOutputs(dir: string, stdoutLog: string): Promise<RunOutputs> {
  const artifacts: string[] = []
  const stdoutText = await readIfPresent(join(dir, stdoutLog))
  if (stdoutText !== undefined) artifacts.push(stdoutLog)
  const stdout = parseQueryStdout(stdoutText ?? '')
  let stats: VdbbenchStatistics | undefined
  const statsText = await readIfPresent(join(dir, 'statistics.json'))
  if (statsText) {
    stats = parseVdbbenchStatistics(statsText, join(dir, 'statistics.json'))
    artifacts.push('statistics.json')
  } else if (stdout.statistics) {
    stats = parseVdbbenchStatistics(JSON.stringify(stdout.statistics), `${join(dir, stdoutLog)} (Benchmark statistics as JSON)`)
  }
  const verdictText = await readIfPresent(join(dir, 'result_verdict.json'))
  const verdict = verdictText ? parseVdbbenchVerdict(verdictText, join(dir, 'result_verdict.json')) : undefined
  if (verdict) artifacts.push('result_verdict.json')
  return {stats, verdict, result: verdict?.result ?? stdout.result, artifacts}
}

import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {TimeSeriesSchema} from '../cluster/time-series.js'
import type {Finding} from '../verify/finding.js'
import {type HostRates, hostRates} from './host-rates.js'

export interface RunTimeSeries {
  /** relative to the results folder */
  file: string
  intervalSeconds: number
  hosts: HostRates[]
}

const SUFFIX = '_timeseries.json'

/**
 * The hosts' time series of each run leaf that has one (`<benchmark>_<timestamp>_timeseries.json`,
 * written by the collectors), as rates. A file that cannot be read or is not a time series is a
 * finding naming it, never a silently missing chart.
 */
export async function loadRunTimeSeries(resultsDir: string, leaves: readonly string[]): Promise<{series: Map<string, RunTimeSeries>; findings: Finding[]}> {
  const series = new Map<string, RunTimeSeries>()
  const findings: Finding[] = []
  for (const leaf of leaves) {
    let names: string[]
    try {
      names = await readdir(join(resultsDir, leaf))
    } catch {
      continue // the tree loader reported an unreadable leaf already
    }
    const name = names.find(entry => entry.endsWith(SUFFIX))
    if (!name) continue
    const file = leaf === '.' ? name : `${leaf}/${name}`
    const unreadable = (why: string): Finding => ({ruleId: 'report.timeSeriesUnreadable', severity: 'warn', kind: 'input', evidence: [{file}],
      message: `${file}: ${why}; the run's hosts' time series is not charted`, fix: 'keep the file as the collector wrote it, or re-run to collect it again'})
    let parsed
    try {
      parsed = TimeSeriesSchema.safeParse(JSON.parse(await readFile(join(resultsDir, file), 'utf8')))
    } catch (error) {
      findings.push(unreadable(`cannot be read (${(error as Error).message})`))
      continue
    }
    if (!parsed.success) {
      findings.push(unreadable(`is not a time series (${parsed.error.issues.slice(0, 2).map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')})`))
      continue
    }
    series.set(leaf, {file, intervalSeconds: parsed.data.intervalSeconds, hosts: hostRates(parsed.data)})
  }
  return {series, findings}
}

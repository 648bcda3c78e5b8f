import type {CampaignStepEntry} from './campaign-record.js'

/** A step's timing group and its recorded state, in campaign order. */
export interface TimedStep {
  group: string
  entry: CampaignStepEntry
}

const seconds = (entry: CampaignStepEntry) =>
  entry.startedAt && entry.endedAt ? (new Date(entry.endedAt).getTime() - new Date(entry.startedAt).getTime()) / 1000 : undefined

/**
 * Seconds until the campaign ends: each step still to run takes the mean of its group's finished
 * steps; the current one what is left of that (or, once it says how far it is, of its own pace).
 * Undefined while any step left has no estimate: an ETA is never made up.
 */
export function remainingSeconds(steps: readonly TimedStep[], current: number, elapsed: number, fraction: number | undefined): number | undefined {
  const means = new Map<string, number>()
  for (const group of new Set(steps.map(step => step.group))) {
    const done = steps.filter(step => step.group === group && step.entry.status === 'COMPLETED').map(step => seconds(step.entry)).filter((s): s is number => s !== undefined)
    if (done.length > 0) means.set(group, done.reduce((a, b) => a + b, 0) / done.length)
  }
  const own = steps[current]
  const paced = fraction !== undefined && fraction > 0.02 && elapsed > 0 ? elapsed / fraction : undefined
  const currentTotal = paced ?? means.get(own.group)
  if (currentTotal === undefined) return undefined
  let total = Math.max(0, currentTotal - elapsed)
  for (const step of steps.slice(current + 1)) {
    if (step.entry.status === 'COMPLETED' || step.entry.status === 'SKIPPED') continue
    const estimate = means.get(step.group) ?? (step.group === own.group ? currentTotal : undefined)
    if (estimate === undefined) return undefined
    total += estimate
  }
  return total
}

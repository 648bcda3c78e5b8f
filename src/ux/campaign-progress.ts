import {formatDuration} from './format.js'
import type {Progress} from './progress.js'

/** What the campaign's view adds to every line of a step's own: where the campaign stands and when it will end. */
export interface CampaignStanding {
  /** the step's name, e.g. "run 3 of 6" */
  label: string
  /** e.g. "step 5/8" */
  position: string
  /** seconds until the whole campaign ends, given how far the current step is (0..1, undefined when it does not say) */
  remainingSeconds(stepFraction: number | undefined): number | undefined
}

/**
 * One progress view over a whole campaign: the step's own view (bar, rate, its ETA) with the
 * step's name in front of every stage and the campaign's position and ETA after every update.
 */
export function campaignProgress(progress: Progress, standing: CampaignStanding): Progress {
  return {
    mode: progress.mode,
    stage(name) {
      progress.stage(`[${standing.label}] ${name}`)
    },
    update(update) {
      const fraction = update.total ? Math.min(1, update.done / update.total) : undefined
      const remaining = standing.remainingSeconds(fraction)
      const campaign = remaining === undefined ? standing.position : `${standing.position}, ETA ${formatDuration(remaining)}`
      progress.update({...update, fields: {...update.fields, campaign}})
    },
    log(message) {
      progress.log(message)
    },
    done(summary) {
      progress.done(summary)
    },
  }
}

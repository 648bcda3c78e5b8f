import {z} from 'zod'
import type {Progress} from '../ux/progress.js'

/** Where a run stands in the campaign that ran it, as its run record keeps it ("run 3 of 6"). */
export const CampaignPlaceSchema = z.object({
  /** the campaign's id: its record is `.mlps/campaigns/<id>.json` in the results dir */
  id: z.string(),
  /** 1-based position among the campaign's steps */
  step: z.number().int().positive(),
  steps: z.number().int().positive(),
  /** what the step is to the rules, e.g. datagen, warmup, run, write, read */
  role: z.string(),
  /** how people name it: "run 3 of 6" */
  label: z.string(),
})
export type CampaignPlace = z.infer<typeof CampaignPlaceSchema>

/** What a campaign hands the single-run command it runs as one step. */
export interface CampaignStepHookup {
  place: CampaignPlace
  /** turns the run's own progress view into the campaign's (its place and the campaign's ETA on every line) */
  progress(progress: Progress): Progress
}

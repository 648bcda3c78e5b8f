import type {RunRecord} from '../results/run-record.js'

/** A step finished by this invocation or an earlier one: what later steps may need of it. */
export interface FinishedStep {
  record: RunRecord
  /** absolute */
  leaf: string
}

/**
 * One step of a campaign: one single-run command (`<benchmark> run`, `<benchmark> datagen`, ...)
 * run in this process with the argv the step gives it, so its leaf and record are exactly
 * a single run's.
 */
export interface CampaignStep {
  /** what the step is to the rules: datasize, datagen, warmup, run, write, read, ... */
  role: string
  /** how people name it in output and records: "run 3 of 6" */
  label: string
  /** the oclif id of the command that does it, e.g. "<benchmark>:run" */
  commandId: string
  /**
   * The step's flags, by the command's flag names; decided when the step is reached, so a step can
   * use what earlier ones found. The campaign's own flags that the command also has are passed on first.
   */
  flags(): Record<string, FlagArgument> | Promise<Record<string, FlagArgument>>
  /** a reason to leave the step out, decided when it is reached (the dataset is there already) */
  skipReason?(): Promise<string | undefined>
  /** take what later steps need from the finished step; called for a step an earlier invocation finished too */
  absorb?(finished: FinishedStep): void
  /** steps of one timing group take about as long as each other, so their durations predict the ETA */
  timingGroup?: string
}

/** A flag value as the command line gives it: undefined or false leaves the flag out. */
export type FlagArgument = string | number | boolean | undefined | readonly string[]

export interface CampaignPlan {
  model?: string
  accelerator?: string
  steps: CampaignStep[]
}

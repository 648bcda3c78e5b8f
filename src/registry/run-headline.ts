import type {RunRecord} from '../results/run-record.js'

/** One measured figure of a run, as the end of the run shows it. */
export interface HeadlineFigure {
  /** its key in `--json` (`headline.sections[].figures[].id`), unique within the headline */
  id: string
  label: string
  /** a value per epoch (or any other repeat) is a list; null when the record holds none for it */
  value: number | readonly number[] | null
  unit: string
  /** where in the run record it was read (e.g. `metrics.train_au_mean_percentage`), so a reader can check it */
  source: string
  /** what it is measured against, e.g. "threshold 90 %: met" */
  note?: string
}

/** A group of figures under an optional title (KV cache: one per option). */
export interface HeadlineSection {
  title?: string
  figures: HeadlineFigure[]
}

/** What a benchmark shows at the end of one of its runs. */
export interface RunHeadline {
  sections: HeadlineSection[]
  /** a measured figure that makes the result doubtful (e.g. a low recall for the index) */
  warnings?: string[]
}

/** Reads a run's headline from its record; figures a stopped run has not measured are left out or null. */
export type RunHeadlineReader = (record: RunRecord) => RunHeadline | undefined

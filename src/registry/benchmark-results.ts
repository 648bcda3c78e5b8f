import type {z} from 'zod'
import type {Finding} from '../verify/finding.js'
import type {LoadedRun, RunGroup} from '../verify/loaded-run.js'
import type {RunHeadlineReader} from './run-headline.js'

export type {HeadlineFigure, HeadlineSection, RunHeadline, RunHeadlineReader} from './run-headline.js'

/**
 * A run folder's files, as a results reader sees them. Reading never throws
 * for bad content: a file that cannot be read or parsed becomes a problem
 * finding naming it, and the facts it would have given stay undefined.
 */
export interface RunFiles {
  /** every file under the run folder (three levels deep), relative to it, sorted */
  readonly listed: readonly string[]
  /** a file of the run folder as evidence names it: relative to the tree root */
  rel(file: string): string
  /** the file's text, or undefined (with a problem recorded) when it cannot be read */
  readText(file: string): Promise<string | undefined>
  /** a JSON object (NaN and Infinity allowed), or undefined with a problem when unreadable or not an object */
  readObject(file: string): Promise<Record<string, unknown> | undefined>
  /** a JSON object checked against a schema, or undefined with a problem naming the first mismatches ("is not <what> (...)") */
  readTyped<T>(file: string, schema: z.ZodType<T>, what: string): Promise<T | undefined>
  /** record that a file is not what it should be; the run's facts from it are not evaluable */
  problem(file: string, message: string): Finding
}

/**
 * Reads a benchmark's own files in a run folder (its summaries, the side
 * documents its rules read) into the run: typed summaries for the rules,
 * flat metrics for reports. Benchmarks whose runs share one file format
 * share one reader by name.
 */
export interface ResultsReader {
  /** the format's name; the loader runs a shared reader once per run folder */
  name: string
  read(run: LoadedRun, files: RunFiles): Promise<void>
  /** file and folder names whose presence makes a folder a run folder (its summary, its config folder) */
  marks?: {files?: readonly string[]; folders?: readonly string[]}
  /**
   * Whether it reads run folders that sit under no benchmark's folder (the
   * v1.0 trees hold only an engine's files); such a reader sets `run.benchmark`
   * when it recognises the run.
   */
  readsUnplacedRuns?: boolean
}

/** A metric column of results.csv, results.json and report.html. */
export interface ReportColumn {
  /** the key in results.json and the header in results.csv */
  id: string
  /** the header in report.html */
  label: string
}

/** One column's value for a workload: a number, or why it is n/a. */
export type ReportCell = {value: number; reason?: undefined} | {value?: undefined; reason: string}

export interface ReportChartBar {
  label: string
  value?: number
  /** drawn lighter: a run that does not count */
  faded?: boolean
}

export interface ReportChart {
  title: string
  unit: string
  bars: ReportChartBar[]
  lines?: Array<{value: number; label: string; kind: 'mean' | 'threshold'}>
}

/** A run of a group with whether its figures count (without the warm-up, ...). */
export interface ReportedRun {
  run: LoadedRun
  counted: boolean
}

/** A grid of columns shown as a table of its own (KV cache: one line per option). */
export interface ReportGrid {
  /** the first header cell, naming what each line is */
  corner: string
  head: string[]
  lines: Array<{label: string; columns: string[]}>
}

/** How a benchmark's workloads appear in reports: its columns and how a group's counted runs become them. */
export interface BenchmarkReport {
  columns: readonly ReportColumn[]
  /** the one column the overview shows for the workload, and how it is named there */
  headline?: {column: string; label: string}
  /** shown instead of a one-line table of every column */
  grid?: ReportGrid
  /** the group's value for every column, over the runs that count; a column any counted run lacks is n/a with the reason */
  aggregate(group: RunGroup, counted: readonly LoadedRun[]): Record<string, ReportCell>
  /** the figures of one run for the per-run table (label → value) */
  runFigures?(run: LoadedRun): Record<string, number | undefined>
  /** charts of the workload, given its runs and its aggregated columns (null: n/a) */
  charts?(runs: readonly ReportedRun[], metrics: Readonly<Record<string, number | null>>): ReportChart[]
}

/** Everything the results tree, `mlps verify` and reports need to know about a benchmark's results. */
export interface BenchmarkResults {
  /** the folder the rules give it in the results tree */
  folder: string
  /**
   * which of the folders between the benchmark folder and the command folder
   * names the workload: the first (`<folder>/<model>/run`) unless the
   * benchmark nests (`<folder>/<backend>/<index>/run`: the last)
   */
  workloadFolder?: 'first' | 'last'
  reader?: ResultsReader
  report?: BenchmarkReport
  /** the figures shown at the end of each of its runs (human output and `--json`), read from the run record */
  runHeadline?: RunHeadlineReader
}

export type Division = 'closed' | 'open'

/** The installed benchmarks' results folders, as a path is read against them. */
export interface BenchmarkFolders {
  byFolder(folder: string): {results: {workloadFolder?: 'first' | 'last'}} | undefined
}

export const COMMAND_FOLDERS = ['datasize', 'datagen', 'run'] as const

/** What a run folder's path says about it (rules.md §2.1 layouts, v1.0 and v3.0). */
export interface PathContext {
  /** case-folded from the path (and, for a loaded run, the metadata) */
  division?: Division
  /** the division segment as the tree spells it ("Closed" in v1.0) */
  divisionFolder?: string
  organization?: string
  system?: string
  /** the benchmark's results folder */
  benchmark?: string
  model?: string
  /** the folders between the benchmark and the command folder */
  modelPath?: string[]
  accelerator?: string
  /** datasize, datagen or run */
  command?: string
  /** under no benchmark folder: the path's folders below the system (all of them without a division), for the readers of such runs */
  unplacedPath?: string[]
}

/** `run1`, `run_1`, `run-1`, `runs1` — the v1.0 spellings of a run folder. */
export const NUMBERED_RUN = /^runs?[-_]?\d+$/i
/** `20250111_143022` (v2.0/v3.0/mlps) or `2024-08-29-09-29-27` (hydra's default, v1.0). */
export const TIMESTAMP_RUN = /^(\d{8}_\d{6})|(\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})$/

export function isRunFolderName(name: string): boolean {
  return NUMBERED_RUN.test(name) || TIMESTAMP_RUN.test(name)
}

/**
 * Read division, organization, system, benchmark, model and command from
 * the absolute path of a run folder. The division segment is matched
 * case-insensitively (v1.0 writes `Closed`; rules.md §4 item 18). The
 * benchmark is the first segment below the system that is an installed
 * benchmark's results folder; a run under none keeps it undefined, for the
 * readers of unplaced runs to recognise.
 */
export function pathContext(absolutePath: string, catalogue: BenchmarkFolders): PathContext {
  const segments = absolutePath.split('/').filter(Boolean)
  let at = -1
  for (let i = segments.length - 3; i >= 0; i--) {
    const lower = segments[i].toLowerCase()
    if ((lower === 'closed' || lower === 'open') && ['results', 'generation_logs'].includes(segments[i + 2]?.toLowerCase())) {
      at = i
      break
    }
  }
  const context: PathContext = {}
  let rest = segments
  if (at >= 0) {
    context.divisionFolder = segments[at]
    context.division = segments[at].toLowerCase() as Division
    context.organization = segments[at + 1]
    context.system = segments[at + 3]
    rest = segments.slice(at + 4)
    // v2.0 guidelines §11.1: `generation_logs/` holds the datagen logs beside `results/`, never measured runs
    if (segments[at + 2].toLowerCase() === 'generation_logs') context.command = 'datagen'
  }
  const benchmarkAt = rest.findIndex(segment => catalogue.byFolder(segment) !== undefined)
  if (benchmarkAt < 0) {
    context.unplacedPath = rest
    return context
  }
  context.benchmark = rest[benchmarkAt]
  const below = rest.slice(benchmarkAt + 1)
  const commandAt = below.findIndex(segment => (COMMAND_FOLDERS as readonly string[]).includes(segment))
  if (commandAt >= 0) context.command = below[commandAt]
  const modelPart = commandAt >= 0 ? below.slice(0, commandAt) : below.slice(0, -1)
  if (modelPart.length > 0) {
    context.modelPath = modelPart
    context.model = catalogue.byFolder(context.benchmark)?.results.workloadFolder === 'last' ? modelPart.at(-1) : modelPart[0]
  }
  return context
}

import type {Division} from './loaded-run.js'

export const BENCHMARK_FOLDERS = ['training', 'checkpointing', 'kv_cache', 'vector_database'] as const
export const COMMAND_FOLDERS = ['datasize', 'datagen', 'run'] as const

/** What a run folder's path says about it (rules.md §2.1 layouts, v1.0 and v3.0). */
export interface PathContext {
  /** case-folded from the path (and, for a loaded run, the metadata) */
  division?: Division
  /** the division segment as the tree spells it ("Closed" in v1.0) */
  divisionFolder?: string
  organization?: string
  system?: string
  /** the rules' folder name: training, checkpointing, kv_cache, vector_database */
  benchmark?: string
  model?: string
  /** the folders between the benchmark and the command folder (`vector_database/<backend>/<INDEX>/`: [backend, index]) */
  modelPath?: string[]
  accelerator?: string
  /** datasize, datagen or run */
  command?: string
}

const ACCELERATORS = ['a100', 'h100', 'b200', 'mi355']

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
 * case-insensitively (v1.0 writes `Closed`; rules.md §4 item 18).
 */
export function pathContext(absolutePath: string): PathContext {
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
  const benchmarkAt = rest.findIndex(segment => (BENCHMARK_FOLDERS as readonly string[]).includes(segment))
  if (benchmarkAt >= 0) {
    context.benchmark = rest[benchmarkAt]
    const below = rest.slice(benchmarkAt + 1)
    const commandAt = below.findIndex(segment => (COMMAND_FOLDERS as readonly string[]).includes(segment))
    if (commandAt >= 0) context.command = below[commandAt]
    const modelPart = commandAt >= 0 ? below.slice(0, commandAt) : below.slice(0, -1)
    if (modelPart.length > 0) {
      context.modelPath = modelPart
      // vector_database/<backend>/<INDEX>/: the index type is what the workload is named after (rules.md §2.1)
      context.model = context.benchmark === 'vector_database' ? modelPart.at(-1) : modelPart[0]
    }
    return context
  }
  // v1.0: <system>/<model>-<acc> | <model>_<acc> | <model>/<acc> | <system name with model and acc>
  for (const [index, segment] of rest.entries()) {
    const lower = segment.toLowerCase()
    const pair = /^([a-z0-9]+)[-_](a100|h100|b200|mi355)$/.exec(lower)
    if (pair) {
      context.model = pair[1]
      context.accelerator = pair[2]
      break
    }
    if (ACCELERATORS.includes(lower) && index > 0) {
      context.model = rest[index - 1].toLowerCase()
      context.accelerator = lower
      break
    }
  }
  return context
}

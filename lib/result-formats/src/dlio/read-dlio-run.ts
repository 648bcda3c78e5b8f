import {type LoadedRun, type MetricValue, type ResultsReader, type RunFiles, type RunSummary} from 'mlps'
import {parseTimestamp} from 'mlps/unstable'
import {parse as parseYaml} from 'yaml'
import {keepCheckpointStats} from './checkpoint-stats.js'
import {type DlioSummary, parseDlioSummary, summaryMetrics} from './dlio-summary.js'
import {parseHydraComposedConfig, parseHydraOverrideList} from './hydra-config.js'

/** the format name of DLIO's summary.json among a run's summaries */
export const DLIO_SUMMARY_FORMAT = 'dlio-summary'

const GIB = 2 ** 30
/** where hydra keeps DLIO's composed config: `dlio_config/` (v3.0, mlps) or `configs/` (v1.0) */
const CONFIG_FOLDERS = ['dlio_config', 'configs']
/** DLIO's per-host throughputs add up to the run's (v1.0 report.py) */
const SUMMED_ACROSS_HOSTS = ['train_throughput_mean_samples_per_second', 'train_io_mean_MB_per_second']
/** keys the v1.0 `benchmark.sh` and the v3.0 tool pass to DLIO themselves (rules.md §2.3: `workflow.*` skipped) */
const TOOL_SET_PREFIXES = ['workflow.', 'profiling.']
const ACCELERATORS = ['a100', 'h100', 'b200', 'mi355']

/**
 * DLIO's files in a run folder, for the benchmarks it runs (training and
 * checkpointing): every `summary.json` (one per host folder in multi-host
 * v1.0 runs), the hydra overrides and composed config. Run folders of the
 * v1.0 trees sit under no benchmark folder; their benchmark, model and
 * accelerator come from the path and the hydra config.
 */
export const dlioResultsReader: ResultsReader = {
  name: 'dlio',
  marks: {files: ['summary.json'], folders: CONFIG_FOLDERS},
  readsUnplacedRuns: true,
  async read(run, files) {
    if (run.benchmark === undefined && run.unplacedPath) applyUnplacedPath(run, run.unplacedPath)
    for (const file of files.listed.filter(name => (name === 'summary.json' || name.endsWith('/summary.json')) && name.split('/').length <= 2)) {
      const text = await files.readText(file)
      if (text === undefined) continue
      try {
        run.summaries.push({file: files.rel(file), format: DLIO_SUMMARY_FORMAT, summary: parseDlioSummary(text, files.rel(file))})
      } catch (error) {
        files.problem(file, (error as Error).message)
      }
    }
    const summaries = dlioSummariesOf(run)
    if (summaries.length > 0) applySummaries(run, summaries)
    if (run.benchmark === 'checkpointing') await keepCheckpointStats(run, files)
    const configFile = files.listed.map(file => file.split('/'))
      .find(parts => parts.length <= 3 && CONFIG_FOLDERS.includes(parts.at(-2) ?? '') && parts.at(-1) === 'overrides.yaml')
    if (configFile) await applyHydra(run, configFile.slice(0, -1).join('/'), files)
  },
}

/** A run's DLIO summaries, typed, as the reader found them. */
export function dlioSummariesOf(run: LoadedRun): Array<RunSummary & {summary: DlioSummary}> {
  return run.summaries.filter((summary): summary is RunSummary & {summary: DlioSummary} => summary.format === DLIO_SUMMARY_FORMAT)
}

/** v1.0: <system>/<model>-<acc> | <model>_<acc> | <model>/<acc> | <system name with model and acc> */
function applyUnplacedPath(run: LoadedRun, segments: readonly string[]): void {
  for (const [index, segment] of segments.entries()) {
    const lower = segment.toLowerCase()
    const pair = /^([a-z0-9]+)[-_](a100|h100|b200|mi355)$/.exec(lower)
    if (pair) {
      run.model ??= pair[1]
      run.accelerator ??= pair[2]
      return
    }
    if (ACCELERATORS.includes(lower) && index > 0) {
      run.model ??= segments[index - 1].toLowerCase()
      run.accelerator ??= lower
      return
    }
  }
}

function applySummaries(run: LoadedRun, summaries: ReadonlyArray<RunSummary & {summary: DlioSummary}>): void {
  const first = summaries[0].summary
  run.sources.summary = summaries[0].file
  run.status ??= 'COMPLETED'
  run.startedAt ??= first.start ? parseTimestamp(first.start) : undefined
  run.endedAt ??= first.end ? parseTimestamp(first.end) : undefined
  if (first.num_accelerators !== undefined) run.numProcesses ??= first.num_accelerators
  if (first.num_hosts !== undefined) run.numHosts ??= first.num_hosts
  // the engine's own per-host memory is what the official checker reads; a record's figures are the fallback
  if (first.host_memory_GB && first.host_memory_GB.length > 0) {
    run.hostMemoryBytes = first.host_memory_GB.reduce<number>((sum, gib) => sum + (gib ?? 0), 0) * GIB
  }
  if (run.record) return
  const metrics: Record<string, MetricValue> = summaryMetrics(first)
  if (summaries.length > 1) {
    for (const key of SUMMED_ACROSS_HOSTS) {
      const values = summaries.map(({summary}) => summary.metric[key as keyof typeof summary.metric])
      metrics[key] = values.every(value => typeof value === 'number') ? (values as number[]).reduce((a, b) => a + b, 0) : null
    }
  }
  for (const key of ['num_files_train', 'num_samples_per_file', 'epochs'] as const) {
    if (first[key] !== undefined) metrics[key] = first[key]
  }
  run.metrics = {...metrics, ...run.metrics}
}

async function applyHydra(run: LoadedRun, folder: string, files: RunFiles): Promise<void> {
  const overridesFile = `${folder}/overrides.yaml`
  const overridesText = await files.readText(overridesFile)
  if (overridesText !== undefined) {
    try {
      const overrides = parseHydraOverrideList(overridesText, files.rel(overridesFile))
      run.sources.overrides = files.rel(overridesFile)
      if (run.layout === 'engine') {
        for (const [key, raw] of Object.entries(overrides.workloadParams)) {
          const value = hydraScalar(raw)
          if (TOOL_SET_PREFIXES.some(prefix => key.startsWith(prefix))) run.toolInjected[key] = value
          else run.userOverrides[key] = value
        }
      }
      const pair = overrides.workload ? /^(.+)_(a100|h100|b200|mi355|datagen)$/i.exec(overrides.workload) : undefined
      if (pair) {
        run.model ??= pair[1].replaceAll('_', '-')
        if (pair[2].toLowerCase() !== 'datagen') run.accelerator ??= pair[2].toLowerCase()
      }
    } catch (error) {
      files.problem(overridesFile, `is not a hydra overrides list (${(error as Error).message})`)
    }
  }
  const configFile = `${folder}/config.yaml`
  if (!files.listed.includes(configFile)) return
  const configText = await files.readText(configFile)
  if (configText === undefined) return
  try {
    const config = parseHydraComposedConfig(configText, files.rel(configFile)).workload
    run.sources.config = files.rel(configFile)
    if (Object.keys(run.parameters).length === 0) run.parameters = config
    const model = config.model
    const modelName = typeof model === 'string' ? model : (model as {name?: unknown} | undefined)?.name
    if (typeof modelName === 'string') run.model ??= modelName.replace(/^llama_/, 'llama3-').replaceAll('_', '-')
    const workflow = (config.workflow ?? {}) as Record<string, unknown>
    if (run.layout === 'engine') {
      if (workflow.train === true || workflow.generate_data === true) run.benchmark ??= 'training'
      else if (workflow.checkpoint === true) run.benchmark ??= 'checkpointing'
      // v1.0 unet3d datagen configs keep `checkpoint: true` from the workload YAML; generating without training is datagen
      run.command ??= workflow.train === true ? 'run' : workflow.generate_data === true ? 'datagen' : workflow.checkpoint === true ? 'run' : undefined
    }
  } catch (error) {
    files.problem(configFile, `is not a hydra config (${(error as Error).message})`)
  }
}

/** A hydra override value as hydra types it: `True` → true, `24500` → 24500, anything else stays text. */
function hydraScalar(raw: string): unknown {
  if (raw === 'True') return true
  if (raw === 'False') return false
  try {
    const value = parseYaml(raw) as unknown
    return value === null || typeof value === 'object' ? raw : value
  } catch {
    return raw
  }
}

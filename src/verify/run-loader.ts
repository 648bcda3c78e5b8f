import {readdir, readFile} from 'node:fs/promises'
import {basename, join, relative} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {parseDlioSummary, summaryMetrics} from '../engine-output/dlio-summary.js'
import {parseHydraComposedConfig, parseHydraOverrideList} from '../engine-output/hydra-config.js'
import {parseTolerantJson} from '../engine-output/tolerant-json.js'
import {MlpsError} from '../errors.js'
import type {MetricValue} from '../registry/definitions.js'
import {RUN_RECORD_FILE, type RunRecord, RunRecordSchema} from '../results/run-record.js'
import {kvcacheSummaryMetrics, type KvRunSummary, KvRunSummarySchema, type SummaryShape, summaryShapeOf, type VectordbSummary, VectordbSummarySchema, vectordbSummaryMetrics} from './benchmark-summaries.js'
import type {Finding} from './finding.js'
import type {LoadedRun, RunSummary} from './loaded-run.js'
import {pathContext} from './path-context.js'

const GIB = 2 ** 30
const CONFIG_FOLDERS = ['dlio_config', 'configs']
/** DLIO's per-host throughputs add up to the run's (v1.0 report.py) */
const SUMMED_ACROSS_HOSTS = ['train_throughput_mean_samples_per_second', 'train_io_mean_MB_per_second']
/** keys the v1.0 `benchmark.sh` and the v3.0 tool pass to DLIO themselves (rules.md §2.3: `workflow.*` skipped) */
const TOOL_SET_PREFIXES = ['workflow.', 'profiling.']

/** side files of a v3.0 leaf that rules read (rules.md §1.1: `fs_separation.json`) */
const SIDE_DOCUMENTS = ['fs_separation.json']
/** vdbbench's verdict on the ground truth (R 5.3.5, #808), its recall and its effective configuration (engines.md §4.4) */
const VECTORDB_DOCUMENTS = ['result_verdict.json', 'recall_stats.json', 'config.json']
/** the name mlpstorage's code gives the KV-cache run summary; the published tree calls it summary.json (rules.md §4 item 16) */
const KV_SUMMARY_ALIAS = /^kvcache_run_summary_.*\.json$/

export const JUNK_FILE = /^(\.DS_Store|\._.*|~\$.*|Thumbs\.db)$/

/** Every file under a folder, relative to it; junk and unreadable folders are skipped here and reported by the tree walk. */
export async function listFiles(folder: string, depth = 3): Promise<string[]> {
  const out: string[] = []
  const walk = async (dir: string, prefix: string, left: number): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, {withFileTypes: true})
    } catch {
      return
    }
    for (const entry of entries) {
      const name = prefix ? `${prefix}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (left > 0) await walk(join(dir, entry.name), name, left - 1)
      } else {
        out.push(name)
      }
    }
  }
  await walk(folder, '', depth)
  return out.sort()
}

/**
 * Turn one run folder (any layout) into a LoadedRun. Never throws for bad
 * content: an unreadable or mistyped file becomes a problem finding naming
 * the file, and the facts it would have given stay undefined.
 */
export async function loadRun(absolutePath: string, root: string, files?: string[]): Promise<LoadedRun> {
  const path = relative(root, absolutePath) || '.'
  const rel = (file: string) => relative(root, join(absolutePath, file)) || file
  const listed = files ?? await listFiles(absolutePath)
  const problems: Finding[] = []
  const context = pathContext(absolutePath)
  const run: LoadedRun = {
    path, absolutePath, layout: 'dlio', ...context, parameters: {}, userOverrides: {}, toolInjected: {},
    summaries: [], metrics: {}, documents: {}, files: listed.filter(file => !JUNK_FILE.test(basename(file))), sources: {}, problems,
  }

  const readText = async (file: string): Promise<string | undefined> => {
    try {
      return await readFile(join(absolutePath, file), 'utf8')
    } catch (error) {
      problems.push(loadProblem(rel(file), `cannot be read: ${(error as Error).message}`))
      return undefined
    }
  }

  if (listed.includes(RUN_RECORD_FILE)) {
    const text = await readText(RUN_RECORD_FILE)
    if (text !== undefined) {
      const record = parseRecord(text, rel(RUN_RECORD_FILE), problems)
      if (record) applyRecord(run, record, rel(RUN_RECORD_FILE))
    }
  }
  const metadataFile = listed.find(file => !file.includes('/') && /_metadata\.json$/.test(file))
  if (!run.record && metadataFile) {
    const text = await readText(metadataFile)
    const metadata = text === undefined ? undefined : parseObject(text, rel(metadataFile), problems)
    if (metadata) applyMetadata(run, metadata, rel(metadataFile))
  }

  const shape = summaryShapeOf(run.benchmark)
  if (shape === 'dlio') {
    for (const file of listed.filter(name => basename(name) === 'summary.json' && name.split('/').length <= 2)) {
      const text = await readText(file)
      if (text === undefined) continue
      try {
        run.summaries.push({file: rel(file), summary: parseDlioSummary(text, rel(file))})
      } catch (error) {
        problems.push(loadProblem(rel(file), error instanceof MlpsError ? error.message : (error as Error).message))
      }
    }
    if (run.summaries.length > 0) applySummaries(run, run.summaries)
  } else {
    await applyBenchmarkSummary(run, shape, listed, readText, rel)
  }

  for (const file of [...SIDE_DOCUMENTS, ...shape === 'vectordb' ? VECTORDB_DOCUMENTS : []].filter(name => listed.includes(name))) {
    const text = await readText(file)
    const document = text === undefined ? undefined : parseObject(text, rel(file), problems)
    if (document) run.documents[file] = document
  }

  const configDir = listed.map(file => file.split('/')).find(parts => parts.length <= 3 && CONFIG_FOLDERS.includes(parts.at(-2) ?? '') && parts.at(-1) === 'overrides.yaml')
  if (configDir) {
    const folder = configDir.slice(0, -1).join('/')
    await applyHydra(run, folder, listed, readText, rel, problems)
  }
  return run
}

/**
 * A run being verified by the lifecycle: its files from the leaf, its facts
 * from the in-memory record (the record on disk is the one written at setup).
 */
export async function loadRecordedRun(record: RunRecord, leaf: string, resultsDir = leaf): Promise<LoadedRun> {
  const run = await loadRun(leaf, resultsDir)
  run.problems = run.problems.filter(problem => !problem.evidence?.some(evidence => evidence.file === RUN_RECORD_FILE))
  applyRecord(run, record, RUN_RECORD_FILE)
  return run
}

function loadProblem(file: string, message: string): Finding {
  return {ruleId: 'mlps.tree.unreadableFile', severity: 'warn', kind: 'input', message: `${file}: ${message}; the facts it holds are not evaluable`, evidence: [{file}],
    fix: 'restore the file from the run that produced it, or remove the run folder from the submission'}
}

function parseObject(text: string, file: string, problems: Finding[]): Record<string, unknown> | undefined {
  try {
    const value = parseTolerantJson(text)
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
    problems.push(loadProblem(file, 'is not a JSON object'))
  } catch (error) {
    problems.push(loadProblem(file, `is not valid JSON (${(error as Error).message})`))
  }
  return undefined
}

function parseRecord(text: string, file: string, problems: Finding[]): RunRecord | undefined {
  const raw = parseObject(text, file, problems)
  if (!raw) return undefined
  const parsed = RunRecordSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  const detail = parsed.error.issues.slice(0, 3).map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')
  problems.push(loadProblem(file, `is not an mlps run record (${detail})`))
  return undefined
}

function applyRecord(run: LoadedRun, record: RunRecord, file: string): void {
  run.layout = 'mlps'
  run.record = record
  run.sources.record = file
  run.division = record.division
  run.benchmark = record.benchmark === 'kvcache' ? 'kv_cache' : record.benchmark === 'vectordb' ? 'vector_database' : record.benchmark
  run.command = record.command
  run.model = record.model ?? run.model
  run.accelerator = record.accelerator ?? run.accelerator
  run.status = record.status
  run.engine = record.engine ? {name: record.engine.name, closedEligible: record.engine.closedEligible} : undefined
  run.startedAt = validDate(record.timings.startedAt)
  run.endedAt = validDate(record.timings.endedAt)
  run.numProcesses = record.numProcesses
  run.hosts = record.hosts.map(host => host.name)
  run.numHosts = record.hosts.length > 0 ? record.hosts.length : undefined
  // a run's record has the collectors' measured total; a datasize record has the memory it sized against
  const memory = record.metrics.cluster_total_memory_bytes ?? record.metrics.totalMemoryBytes
  if (typeof memory === 'number') run.hostMemoryBytes = memory
  run.parameters = record.parameters.effective
  run.userOverrides = record.parameters.userOverrides
  run.toolInjected = record.parameters.toolInjected
  run.metrics = {...record.metrics}
}

function applyMetadata(run: LoadedRun, metadata: Record<string, unknown>, file: string): void {
  run.layout = 'v3'
  run.metadata = metadata
  run.sources.metadata = file
  const text = (key: string) => typeof metadata[key] === 'string' ? metadata[key] as string : undefined
  const verification = text('verification')?.toLowerCase()
  if (verification === 'closed' || verification === 'open') run.division ??= verification
  run.benchmark = text('benchmark_type') ?? run.benchmark
  run.model = text('model') ?? run.model
  run.command = text('command') ?? run.command
  run.accelerator = text('accelerator') ?? run.accelerator
  const started = text('invocation_start_time') ?? text('run_datetime')
  run.startedAt = started ? parseTimestamp(started) : undefined
  const ended = text('invocation_end_time')
  if (ended) run.endedAt = parseTimestamp(ended)
  const processes = toNumber(metadata.num_processes)
  if (processes !== undefined) run.numProcesses = processes
  const args = (metadata.args && typeof metadata.args === 'object' ? metadata.args : {}) as Record<string, unknown>
  if (Array.isArray(args.hosts)) {
    run.hosts = args.hosts.map(String)
    run.numHosts = run.hosts.length
  } else if (typeof args.hosts === 'string') {
    run.hosts = args.hosts.split(/[\s,]+/).filter(Boolean)
    run.numHosts = run.hosts.length
  }
  if (metadata.parameters && typeof metadata.parameters === 'object') run.parameters = metadata.parameters as Record<string, unknown>
  if (metadata.override_parameters && typeof metadata.override_parameters === 'object') {
    run.userOverrides = {...metadata.override_parameters as Record<string, unknown>}
  }
  if (metadata.metrics && typeof metadata.metrics === 'object') run.metrics = {...run.metrics, ...metadata.metrics as Record<string, MetricValue>}
}

/**
 * summary.json of a KV-cache or vector-database run leaf, read as that
 * benchmark's summary: typed, kept for the rules, and flattened into the
 * run's metrics where the run record does not already hold them.
 */
async function applyBenchmarkSummary(run: LoadedRun, shape: Exclude<SummaryShape, 'dlio'>, listed: string[],
  readText: (file: string) => Promise<string | undefined>, rel: (file: string) => string): Promise<void> {
  const file = listed.includes('summary.json') ? 'summary.json'
    : shape === 'kvcache' ? listed.find(name => KV_SUMMARY_ALIAS.test(name))
      : listed.includes('statistics.json') ? 'statistics.json' : undefined
  if (!file) return
  const text = await readText(file)
  if (text === undefined) return
  const raw = parseObject(text, rel(file), run.problems)
  if (!raw) return
  const schema = shape === 'kvcache' ? KvRunSummarySchema : VectordbSummarySchema
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const detail = parsed.error.issues.slice(0, 3).map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')
    run.problems.push(loadProblem(rel(file), `is not a ${shape === 'kvcache' ? 'KV-cache run' : 'vector-database'} summary (${detail})`))
    return
  }
  run.sources.summary = rel(file)
  run.status ??= 'COMPLETED'
  let metrics: Record<string, MetricValue>
  if (shape === 'kvcache') {
    const summary = parsed.data as KvRunSummary
    run.kvSummary = summary
    if (summary.total_ranks !== undefined) run.numProcesses ??= summary.total_ranks
    if (summary.host_count !== undefined) run.numHosts ??= summary.host_count
    if (summary.run_datetime) run.startedAt ??= parseTimestamp(summary.run_datetime)
    metrics = kvcacheSummaryMetrics(summary)
  } else {
    const summary = parsed.data as VectordbSummary
    run.vdbSummary = summary
    metrics = vectordbSummaryMetrics(summary)
  }
  run.metrics = {...metrics, ...run.metrics}
}

function applySummaries(run: LoadedRun, summaries: RunSummary[]): void {
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

async function applyHydra(run: LoadedRun, folder: string, listed: string[], readText: (file: string) => Promise<string | undefined>,
  rel: (file: string) => string, problems: Finding[]): Promise<void> {
  const overridesFile = `${folder}/overrides.yaml`
  const overridesText = await readText(overridesFile)
  if (overridesText !== undefined) {
    try {
      const overrides = parseHydraOverrideList(overridesText, rel(overridesFile))
      run.sources.overrides = rel(overridesFile)
      if (run.layout === 'dlio') {
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
      problems.push(loadProblem(rel(overridesFile), `is not a hydra overrides list (${(error as Error).message})`))
    }
  }
  const configFile = `${folder}/config.yaml`
  if (!listed.includes(configFile)) return
  const configText = await readText(configFile)
  if (configText === undefined) return
  try {
    const config = parseHydraComposedConfig(configText, rel(configFile)).workload
    run.sources.config = rel(configFile)
    if (Object.keys(run.parameters).length === 0) run.parameters = config
    const model = config.model
    const modelName = typeof model === 'string' ? model : (model as {name?: unknown} | undefined)?.name
    if (typeof modelName === 'string') run.model ??= modelName.replace(/^llama_/, 'llama3-').replaceAll('_', '-')
    const workflow = (config.workflow ?? {}) as Record<string, unknown>
    if (run.layout === 'dlio') {
      if (workflow.train === true || workflow.generate_data === true) run.benchmark ??= 'training'
      else if (workflow.checkpoint === true) run.benchmark ??= 'checkpointing'
      // v1.0 unet3d datagen configs keep `checkpoint: true` from the workload YAML; generating without training is datagen
      run.command ??= workflow.train === true ? 'run' : workflow.generate_data === true ? 'datagen' : workflow.checkpoint === true ? 'run' : undefined
    }
  } catch (error) {
    problems.push(loadProblem(rel(configFile), `is not a hydra config (${(error as Error).message})`))
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

function validDate(value: string | undefined): Date | undefined {
  if (!value) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** ISO (DLIO's `start`/`end`, naive = local time) or the rules' `YYYYMMDD_HHMMSS` (local time). */
export function parseTimestamp(value: string): Date | undefined {
  const compact = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/.exec(value)
  if (compact) {
    const [, y, mo, d, h, mi, s] = compact.map(Number)
    return new Date(y, mo - 1, d, h, mi, s)
  }
  return validDate(value)
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value)
  return undefined
}

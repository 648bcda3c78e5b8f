import {readdir, readFile, stat} from 'node:fs/promises'
import {basename, join, relative} from 'node:path'
import type {z} from 'zod'
import type {RunFiles} from '../registry/benchmark-results.js'
import type {MetricValue} from '../results/metric-value.js'
import {RUN_RECORD_FILE, type RunRecord, RunRecordSchema} from '../results/run-record.js'
import {parseTolerantJson} from '../util/tolerant-json.js'
import type {Finding} from './finding.js'
import type {LoadedRun} from './loaded-run.js'
import {pathContext} from './path-context.js'
import {RANK_RESULT_FILE} from './result-integrity.js'
import type {ResultsCatalogue} from './results-catalogue.js'

/** side files of a v3.0 leaf that rules read, whatever the benchmark (rules.md §1.1: `fs_separation.json`) */
const SIDE_DOCUMENTS = ['fs_separation.json']
/** files a run may lack or hold broken and still count: their rules say what their absence means (a missing fs_separation.json is a warning, SC) */
const OPTIONAL_FILES = new Set(SIDE_DOCUMENTS)

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
 * Turn one run folder (any layout) into a LoadedRun: the mlps record or the
 * reference tool's metadata, then what its benchmark's reader takes from the
 * benchmark's own files. Never throws for bad content: an unreadable or
 * mistyped file becomes a problem finding naming the file, and the facts it
 * would have given stay undefined.
 */
export async function loadRun(absolutePath: string, root: string, catalogue: ResultsCatalogue, files?: string[]): Promise<LoadedRun> {
  const path = relative(root, absolutePath) || '.'
  const listed = files ?? await listFiles(absolutePath)
  const problems: Finding[] = []
  const run: LoadedRun = {
    path, absolutePath, layout: 'engine', ...pathContext(absolutePath, catalogue), parameters: {}, userOverrides: {}, toolInjected: {},
    summaries: [], metrics: {}, documents: {}, files: listed.filter(file => !JUNK_FILE.test(basename(file))), sources: {}, problems,
  }
  const io = runFiles(absolutePath, root, listed, problems)

  if (listed.includes(RUN_RECORD_FILE)) {
    const text = await io.readText(RUN_RECORD_FILE)
    if (text !== undefined) {
      const record = parseRecord(text, io.rel(RUN_RECORD_FILE), problems)
      if (record) applyRecord(run, record, io.rel(RUN_RECORD_FILE), catalogue)
    }
  }
  const metadataFile = listed.find(file => !file.includes('/') && /_metadata\.json$/.test(file))
  if (!run.record && metadataFile) {
    const metadata = await io.readObject(metadataFile)
    if (metadata) applyMetadata(run, metadata, io.rel(metadataFile), catalogue)
  }

  const reader = catalogue.byFolder(run.benchmark)?.results.reader
  if (reader) {
    await reader.read(run, io)
  } else if (run.benchmark === undefined) {
    for (const unplaced of catalogue.unplacedReaders()) {
      await unplaced.read(run, io)
      if (run.benchmark !== undefined) break
    }
  }

  for (const file of SIDE_DOCUMENTS.filter(name => listed.includes(name))) {
    const document = await io.readObject(file)
    if (document) run.documents[file] = document
  }
  for (const file of listed.filter(name => RANK_RESULT_FILE.test(name) && !io.read.has(name))) await io.readObject(file)
  return run
}

function runFiles(absolutePath: string, root: string, listed: readonly string[], problems: Finding[]): RunFiles & {read: Set<string>} {
  const rel = (file: string) => relative(root, join(absolutePath, file)) || file
  const read = new Set<string>()
  const problem = (file: string, message: string) => {
    const finding = loadProblem(rel(file), message, OPTIONAL_FILES.has(file) ? 'warn' : 'error')
    problems.push(finding)
    return finding
  }
  const readText = async (file: string): Promise<string | undefined> => {
    read.add(file)
    try {
      // a FIFO would block the read forever, a device could be endless: only regular files are read
      const kind = await stat(join(absolutePath, file))
      if (!kind.isFile()) {
        problem(file, `is ${specialFileKind(kind)}, not a regular file, so it was not read`)
        return undefined
      }
      return await readFile(join(absolutePath, file), 'utf8')
    } catch (error) {
      problem(file, `cannot be read: ${(error as Error).message}`)
      return undefined
    }
  }
  const readObject = async (file: string) => {
    const text = await readText(file)
    return text === undefined ? undefined : parseObject(text, rel(file), problems, OPTIONAL_FILES.has(file) ? 'warn' : 'error')
  }
  return {
    listed, rel, read, readText, readObject, problem,
    async readTyped(file, schema, what) {
      const raw = await readObject(file)
      if (!raw) return undefined
      const parsed = schema.safeParse(raw)
      if (parsed.success) return parsed.data
      problem(file, `is not ${what} (${issuesText(parsed.error)})`)
      return undefined
    },
  }
}

/**
 * A run being verified by the lifecycle: its files from the leaf, its facts
 * from the in-memory record (the record on disk is the one written at setup).
 */
export async function loadRecordedRun(record: RunRecord, leaf: string, catalogue: ResultsCatalogue, resultsDir = leaf): Promise<LoadedRun> {
  const run = await loadRun(leaf, resultsDir, catalogue)
  run.problems = run.problems.filter(problem => !problem.evidence?.some(evidence => evidence.file === RUN_RECORD_FILE))
  applyRecord(run, record, RUN_RECORD_FILE, catalogue)
  return run
}

/** What a non-regular file is, in words. */
export function specialFileKind(kind: {isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isDirectory(): boolean}): string {
  if (kind.isFIFO()) return 'a FIFO (named pipe)'
  if (kind.isSocket()) return 'a socket'
  if (kind.isCharacterDevice() || kind.isBlockDevice()) return 'a device'
  if (kind.isDirectory()) return 'a folder'
  return 'not a regular file'
}

/**
 * A run file that cannot be read or parsed. A run's own result files and
 * record are errors: a run whose result cannot be read cannot count, and
 * its facts left undefined would otherwise only make rules "not evaluable".
 */
function loadProblem(file: string, message: string, severity: 'error' | 'warn'): Finding {
  const consequence = severity === 'error' ? 'the facts it holds are not evaluable, so the run cannot count' : 'the facts it holds are not evaluable'
  return {ruleId: 'mlps.tree.unreadableFile', severity, kind: 'input', message: `${file}: ${message}; ${consequence}`, evidence: [{file}],
    fix: 'restore the file from the run that produced it, or remove the run folder from the submission'}
}

function parseObject(text: string, file: string, problems: Finding[], severity: 'error' | 'warn'): Record<string, unknown> | undefined {
  try {
    const value = parseTolerantJson(text)
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
    problems.push(loadProblem(file, 'is not a JSON object', severity))
  } catch (error) {
    problems.push(loadProblem(file, `is not valid JSON (${(error as Error).message})`, severity))
  }
  return undefined
}

function parseRecord(text: string, file: string, problems: Finding[]): RunRecord | undefined {
  const raw = parseObject(text, file, problems, 'error')
  if (!raw) return undefined
  const parsed = RunRecordSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  problems.push(loadProblem(file, `is not an mlps run record (${issuesText(parsed.error)})`, 'error'))
  return undefined
}

function issuesText(error: z.ZodError): string {
  return error.issues.slice(0, 3).map(issue => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')
}

function applyRecord(run: LoadedRun, record: RunRecord, file: string, catalogue: ResultsCatalogue): void {
  run.layout = 'mlps'
  run.record = record
  run.sources.record = file
  run.division = record.division
  run.benchmark = catalogue.folderOf(record.benchmark)
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

function applyMetadata(run: LoadedRun, metadata: Record<string, unknown>, file: string, catalogue: ResultsCatalogue): void {
  run.layout = 'v3'
  run.metadata = metadata
  run.sources.metadata = file
  const text = (key: string) => typeof metadata[key] === 'string' ? metadata[key] as string : undefined
  const verification = text('verification')?.toLowerCase()
  if (verification === 'closed' || verification === 'open') run.division ??= verification
  const benchmarkType = text('benchmark_type')
  if (benchmarkType) run.benchmark = catalogue.folderOf(benchmarkType)
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

function validDate(value: string | undefined): Date | undefined {
  if (!value) return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/** ISO (an engine's `start`/`end`, naive = local time) or the rules' `YYYYMMDD_HHMMSS` (local time). */
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

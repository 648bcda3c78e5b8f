import {type Dirent} from 'node:fs'
import {readdir, readFile, stat} from 'node:fs/promises'
import {basename, dirname, extname, join, relative, resolve} from 'node:path'
import {parse as parseYaml} from 'yaml'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {RUN_RECORD_FILE} from '../results/run-record.js'
import type {Finding} from './finding.js'
import type {Division, LoadedRun, LoadedTree, RunGroup, SystemDescription} from './loaded-run.js'
import {COMMAND_FOLDERS, isRunFolderName} from './path-context.js'
import type {ResultsCatalogue, RunMarks} from './results-catalogue.js'
import {JUNK_FILE, loadRun, specialFileKind} from './run-loader.js'
import {mapWithConcurrency} from '../util/map-with-concurrency.js'
import {parseTolerantJson} from '../util/tolerant-json.js'

export const OFFICIAL_REPORT_FILE = 'mlperf_storage_report.json'
/** code snapshots are hashed, not parsed (rules.md §2.1) */
const SKIPPED_FOLDERS = new Set(['code', 'code-images', 'node_modules', '.git', 'collector-staging'])
const LOAD_CONCURRENCY = 32

interface Walked {
  folders: string[]
  files: string[]
  evidenceDirs: Set<string>
  reports: Map<string, string>
  systemFiles: string[]
  junk: string[]
  unreadable: Array<{dir: string; message: string}>
  /** FIFOs, sockets, devices: never opened (a FIFO would block verify forever) */
  special: Array<{file: string; kind: string}>
}

/**
 * Load a results tree (a whole submission, one system, one workload folder
 * or a single run leaf) into typed runs and groups. Layouts: the v3.0
 * canonical tree, the tree mlps writes, and the irregular v1.0 trees
 * (fixtures/storage_results_v1.0/SOURCE.md). Junk files are reported, not
 * parsed; unreadable files become findings, never exceptions.
 */
export async function loadResultsTree(path: string, catalogue: ResultsCatalogue): Promise<LoadedTree> {
  const root = resolve(path)
  let info
  try {
    info = await stat(root)
  } catch {
    throw new MlpsError('no such results folder', {where: path, exitCode: ExitCode.BadInput, fix: 'pass the folder of a run leaf, a workload, a system or a whole submission'})
  }
  if (!info.isDirectory()) {
    throw new MlpsError('is a file, not a results folder', {where: path, exitCode: ExitCode.BadInput, fix: 'pass the folder that holds the run (its metadata.json or summary.json), not the file itself'})
  }
  const walked: Walked = {folders: [], files: [], evidenceDirs: new Set(), reports: new Map(), systemFiles: [], junk: [], unreadable: [], special: []}
  await walk(root, walked, catalogue.runMarks())
  const problems: Finding[] = [
    ...walked.junk.map(file => ({ruleId: 'mlps.tree.junkFile', severity: 'info' as const, kind: 'input' as const,
      message: `${relative(root, file)} is an editor or OS leftover; it was not parsed`, fix: 'delete it before submitting', evidence: [{file: relative(root, file)}]})),
    ...walked.special.map(({file, kind}) => ({ruleId: 'mlps.tree.specialFile', severity: 'warn' as const, kind: 'input' as const,
      message: `${relative(root, file)} is ${kind}, not a regular file; it was skipped`, fix: 'remove it: a results tree holds regular files and folders only', evidence: [{file: relative(root, file)}]})),
    ...walked.unreadable.map(({dir, message}) => ({ruleId: 'mlps.tree.unreadableFolder', severity: 'warn' as const, kind: 'input' as const,
      message: `${relative(root, dir) || '.'} cannot be listed (${message}); runs inside it are not evaluable`, evidence: [{file: relative(root, dir) || '.'}]})),
  ]

  const runFolders = [...new Set([...walked.evidenceDirs].map(runFolderOf))].sort()
  const runs = await mapWithConcurrency(runFolders, LOAD_CONCURRENCY, folder => loadRun(folder, root, catalogue))
  const systems = await Promise.all(walked.systemFiles.map(file => loadSystem(file, root, problems)))
  const groups = await groupRuns(runs, walked.reports, root, problems)
  const listing = {folders: walked.folders.map(dir => relative(root, dir)).sort(), files: walked.files.map(file => relative(root, file)).sort()}
  return {root, runs, groups, systems, problems, listing, benchmarks: catalogue.installed()}
}

async function walk(dir: string, walked: Walked, marks: RunMarks): Promise<void> {
  let entries: Dirent[]
  try {
    entries = await readdir(dir, {withFileTypes: true})
  } catch (error) {
    walked.unreadable.push({dir, message: (error as NodeJS.ErrnoException).code ?? (error as Error).message})
    return
  }
  const inSystems = basename(dir) === 'systems'
  const folders: string[] = []
  for (const entry of entries) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.')) continue
      walked.folders.push(full)
      if (SKIPPED_FOLDERS.has(entry.name) || /^code-[0-9a-f]{8}$/.test(entry.name)) continue
      if (marks.folders.has(entry.name)) walked.evidenceDirs.add(dir)
      folders.push(full)
      continue
    }
    if (!entry.isFile()) {
      // symbolic links are followed when read; FIFOs, sockets and devices never are
      if (!entry.isSymbolicLink()) walked.special.push({file: full, kind: specialFileKind(entry)})
      continue
    }
    if (JUNK_FILE.test(entry.name)) {
      walked.junk.push(full)
      continue
    }
    walked.files.push(full)
    if (inSystems) walked.systemFiles.push(full)
    else if (entry.name === OFFICIAL_REPORT_FILE) walked.reports.set(dir, full)
    else if (marks.files.has(entry.name) || entry.name === RUN_RECORD_FILE || /_metadata\.json$/.test(entry.name)) walked.evidenceDirs.add(dir)
  }
  await Promise.all(folders.map(folder => walk(folder, walked, marks)))
}

/** A host sub-folder (`runs/run1/c013/`, v1.0 DDN) belongs to the run folder above it. */
function runFolderOf(dir: string): string {
  const parent = dirname(dir)
  return !isRunFolderName(basename(dir)) && isRunFolderName(basename(parent)) ? parent : dir
}

/** The workload folder of a run: the folder holding its run folders, above a `run/datagen/datasize` folder if there is one. */
function groupFolderOf(run: LoadedRun): string {
  const parent = dirname(run.absolutePath)
  return (COMMAND_FOLDERS as readonly string[]).includes(basename(parent)) ? dirname(parent) : parent
}

async function groupRuns(runs: LoadedRun[], reports: Map<string, string>, root: string, problems: Finding[]): Promise<RunGroup[]> {
  const byFolder = new Map<string, LoadedRun[]>()
  for (const run of runs) {
    const folder = groupFolderOf(run)
    byFolder.set(folder, [...byFolder.get(folder) ?? [], run])
  }
  const groups: RunGroup[] = []
  for (const [folder, members] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    const byTime = (a: LoadedRun, b: LoadedRun) => (a.startedAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.startedAt?.getTime() ?? Number.POSITIVE_INFINITY) || a.path.localeCompare(b.path)
    const runsOf = (command: string) => members.filter(run => (run.command ?? 'run') === command).sort(byTime)
    const measured = runsOf('run')
    const lead = measured[0] ?? members[0]
    const below = relative(root, folder)
    const group: RunGroup = {
      // a run leaf verified on its own has its workload folder above the root: the row is named by the root
      path: below === '' ? '.' : below.startsWith('..') ? root : below,
      division: lead.division, organization: lead.organization, system: lead.system,
      benchmark: lead.benchmark, model: lead.model, accelerator: measured.find(run => run.accelerator)?.accelerator ?? lead.accelerator,
      runs: measured, datasize: runsOf('datasize'), datagen: runsOf('datagen'),
    }
    const reportFile = reports.get(folder) ?? (basename(folder) === 'runs' ? reports.get(dirname(folder)) : undefined)
    if (reportFile) {
      try {
        group.officialReport = {file: relative(root, reportFile), data: parseTolerantJson(await readFile(reportFile, 'utf8'))}
      } catch (error) {
        problems.push({ruleId: 'mlps.tree.unreadableFile', severity: 'warn', kind: 'input', message: `${relative(root, reportFile)} cannot be parsed: ${(error as Error).message}`, evidence: [{file: relative(root, reportFile)}]})
      }
    }
    groups.push(group)
  }
  return groups
}

/**
 * A JSON system description; one that is not strict JSON is read as YAML,
 * JSON's superset, which takes the trailing commas published v1.0 files hold
 * (Micron), and said so. Only what neither reads is unreadable.
 */
function parseSystemJson(text: string, path: string, problems: Finding[]): unknown {
  try {
    return parseTolerantJson(text)
  } catch (error) {
    const data: unknown = parseYaml(text)
    problems.push({ruleId: 'mlps.tree.unreadableFile', severity: 'info', kind: 'input', evidence: [{file: path}],
      message: `${path} is not strict JSON (${(error as Error).message}); it was read as YAML, which accepts it`, fix: 'remove the trailing commas (or what else strict JSON refuses)'})
    return data
  }
}

async function loadSystem(file: string, root: string, problems: Finding[]): Promise<SystemDescription> {
  const extension = extname(file).toLowerCase()
  const format = extension === '.json' ? 'json' : extension === '.yaml' || extension === '.yml' ? 'yaml' : extension === '.pdf' ? 'pdf' : extension === '.md' ? 'md' : 'other'
  const segments = file.split('/')
  const at = segments.findLastIndex((segment, index) => ['closed', 'open'].includes(segment.toLowerCase()) && index < segments.length - 2)
  const system: SystemDescription = {
    path: relative(root, file), name: basename(file, extname(file)), format,
    division: at >= 0 ? segments[at].toLowerCase() as Division : undefined, organization: at >= 0 ? segments[at + 1] : undefined,
  }
  if (format === 'json' || format === 'yaml') {
    try {
      const text = await readFile(file, 'utf8')
      system.data = format === 'json' ? parseSystemJson(text, system.path, problems) : parseYaml(text)
    } catch (error) {
      problems.push({ruleId: 'mlps.tree.unreadableFile', severity: 'warn', kind: 'input', message: `${system.path} cannot be parsed: ${(error as Error).message}`, evidence: [{file: system.path}]})
    }
  }
  return system
}


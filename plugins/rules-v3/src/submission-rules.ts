import {type AnyRule, type LoadedTree, type RuleOutcome} from 'mlps'
import {defineRule, fail, isRunFolderName, pass} from 'mlps/unstable'

/** the benchmark folders the v3.0 rules know under results/<system>/ (rules.md §2.1) */
const BENCHMARK_FOLDERS = ['training', 'checkpointing', 'kv_cache', 'vector_database'] as const

// The v3.0 submission tree's own structure (rules.md §2.1 "v3.0", R 2.1.1–2.1.27 as far as rules.md gives them).
// They judge what the tree shows from its root: verifying a single workload or run folder has no
// division folder in view, and these rules then have nothing to judge.

/** One `<division>/<org>/` folder of the tree, with what sits directly in it. */
interface SubmitterFolder {
  division: string
  /** relative to the tree root */
  path: string
  name: string
  folders: string[]
  files: string[]
}

const parentOf = (path: string) => path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : ''
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1)

interface TreeIndex {
  children: Map<string, {folders: string[]; files: string[]}>
  submitters: SubmitterFolder[]
}

/** The listing indexed by parent folder, built once per tree: the rules below ask it thousands of times on a large submission. */
const indexes = new WeakMap<LoadedTree, TreeIndex>()

function indexOf(tree: LoadedTree): TreeIndex {
  let index = indexes.get(tree)
  if (index) return index
  const byParent = new Map<string, {folders: string[]; files: string[]}>()
  const entry = (dir: string) => byParent.get(dir) ?? byParent.set(dir, {folders: [], files: []}).get(dir)!
  for (const folder of tree.listing.folders) entry(parentOf(folder)).folders.push(nameOf(folder))
  for (const file of tree.listing.files) entry(parentOf(file)).files.push(nameOf(file))
  // verifying `<submission>/closed` itself: the division is the root
  const divisionOf = (folder: string) => parentOf(folder) === '' ? nameOf(tree.root) : nameOf(parentOf(folder))
  const submitters = tree.listing.folders
    .filter(folder => ['closed', 'open'].includes(divisionOf(folder).toLowerCase()) && (byParent.get(folder)?.folders ?? []).some(name => name === 'results' || name === 'systems'))
    .map(folder => ({division: divisionOf(folder), path: folder, name: nameOf(folder), ...entry(folder)}))
  index = {children: byParent, submitters}
  indexes.set(tree, index)
  return index
}

function children(tree: LoadedTree, dir: string): {folders: string[]; files: string[]} {
  return indexOf(tree).children.get(dir) ?? {folders: [], files: []}
}

/** Submitter folders: `<division>/<org>/` holding `results/` or `systems/`, the division matched case-insensitively so a wrong case is found, then judged. */
function submitterFolders(tree: LoadedTree): SubmitterFolder[] {
  return indexOf(tree).submitters
}

const each = (tree: LoadedTree, check: (submitter: SubmitterFolder) => RuleOutcome[]): RuleOutcome | RuleOutcome[] => {
  const outcomes = submitterFolders(tree).flatMap(check)
  return outcomes.length > 0 ? outcomes : pass()
}

/** POSIX portable filename characters (R 2.1.1: other characters are replaced 1-for-1 by "-") */
const PORTABLE_NAME = /^[A-Za-z0-9._-]+$/

export const submitterName = defineRule({
  id: '2.1.1 submitterDirectoryName',
  scope: 'submission',
  title: 'the submitter folder name uses only POSIX portable characters',
  source: 'rules.md §2.1 (R 2.1.1)',
  severity: 'error',
  check: tree => each(tree, submitter => PORTABLE_NAME.test(submitter.name) ? [] : [fail(`${submitter.path}: "${submitter.name}" has characters outside A–Z a–z 0–9 . _ -`, {
    evidence: [{file: submitter.path}], fix: `rename it to "${submitter.name.replaceAll(/[^A-Za-z0-9._-]/g, '-')}"`,
  })]),
})

export const divisionName = defineRule({
  id: '2.1.2 divisionDirectoryName',
  scope: 'submission',
  title: 'the division folder is spelled closed or open, lowercase',
  source: 'rules.md §2.1 (R 2.1.2, case-sensitive; v1.0 trees wrote Closed/Open)',
  severity: 'error',
  check(tree) {
    const wrong = [...new Map(submitterFolders(tree).map(submitter => [submitter.division, parentOf(submitter.path) || '.'])).entries()].filter(([division]) => !['closed', 'open'].includes(division))
    return wrong.length === 0 ? pass() : wrong.map(([division, folder]) => fail(`${folder === '.' ? division : folder}: the division folder must be "${division.toLowerCase()}"`, {evidence: [{file: folder}], fix: `rename it to ${division.toLowerCase()}`}))
  },
})

/** post-v3.0 optional submission manifest (rules.md §2.1 diagram) */
const SUBMITTER_FILES = new Set(['submission.yaml'])

export const submitterContents = defineRule({
  id: '2.1.5 submitterDirectoryContents',
  scope: 'submission',
  title: 'a submitter folder holds results/ and systems/ and nothing else',
  source: 'rules.md §2.1 (R 2.1.5; a legacy code/ beside them was an error in v3.0, AP3)',
  severity: 'error',
  check: tree => each(tree, submitter => {
    const outcomes: RuleOutcome[] = []
    for (const required of ['results', 'systems']) {
      if (!submitter.folders.includes(required)) outcomes.push(fail(`${submitter.path}: no ${required}/ folder`, {evidence: [{file: submitter.path}], fix: `add ${submitter.path}/${required}/`}))
    }
    const extra = [...submitter.folders.filter(name => name !== 'results' && name !== 'systems').map(name => `${name}/`), ...submitter.files.filter(name => !SUBMITTER_FILES.has(name))]
    for (const name of extra) {
      outcomes.push(fail(`${submitter.path}/${name}: only results/ and systems/ belong in a submitter folder`, {
        evidence: [{file: `${submitter.path}/${name}`}], fix: name === 'code/' ? 'code is submitted as a content-addressed image (<org>/code-<hash8>/), not beside results/' : 'move it out of the submission',
      }))
    }
    return outcomes
  }),
})

const stem = (file: string) => file.replace(/\.[^.]*$/, '')
const extension = (file: string) => file.slice(stem(file).length).toLowerCase()

export const systemFilePairs = defineRule({
  id: '2.1.7 systemDescriptionFiles',
  scope: 'submission',
  title: 'systems/ holds a <system>.yaml and a <system>.pdf for each system (Markdown notes allowed)',
  source: 'rules.md §2.1 and §4 item 13 (R 2.1.7; supplementary PDFs without a YAML failed in v3.0, *.md allowed)',
  severity: 'error',
  check: tree => each(tree, submitter => {
    const files = children(tree, `${submitter.path}/systems`).files
    const outcomes: RuleOutcome[] = []
    const yamls = new Set(files.filter(file => extension(file) === '.yaml').map(stem))
    const pdfs = new Set(files.filter(file => extension(file) === '.pdf').map(stem))
    for (const file of files) {
      const at = `${submitter.path}/systems/${file}`
      const ext = extension(file)
      if (ext === '.md') continue
      if (ext === '.yaml' && !pdfs.has(stem(file))) outcomes.push(fail(`${at}: no ${stem(file)}.pdf beside it`, {evidence: [{file: at}], fix: `add ${stem(file)}.pdf, the system's disclosure document`}))
      else if (ext === '.pdf' && !yamls.has(stem(file))) outcomes.push(fail(`${at}: no ${stem(file)}.yaml beside it`, {evidence: [{file: at}], fix: `add ${stem(file)}.yaml, or move supplementary material into a .md file`}))
      else if (ext !== '.yaml' && ext !== '.pdf') outcomes.push(fail(`${at}: systems/ takes .yaml, .pdf and .md files only`, {evidence: [{file: at}], fix: ext === '.json' ? 'v3.0 describes a system in YAML (rules.md §2.2): convert it' : 'remove it'}))
    }
    return outcomes
  }),
})

export const systemNamesMatch = defineRule({
  id: '2.1.8 systemNamesMatchResults',
  scope: 'submission',
  title: 'every results/<system>/ has its systems/<system>.yaml, spelled the same (case-sensitive)',
  source: 'rules.md §2.1 (R 2.1.7–2.1.8)',
  severity: 'error',
  check: tree => each(tree, submitter => {
    const systems = new Set(children(tree, `${submitter.path}/systems`).files.filter(file => extension(file) === '.yaml').map(stem))
    const results = children(tree, `${submitter.path}/results`).folders
    const outcomes: RuleOutcome[] = results.filter(name => !systems.has(name)).map(name => {
      const near = [...systems].find(system => system.toLowerCase() === name.toLowerCase())
      return fail(`${submitter.path}/results/${name}: no systems/${name}.yaml${near ? ` (there is ${near}.yaml: names are case-sensitive)` : ''}`, {
        evidence: [{file: `${submitter.path}/results/${name}`}], fix: near ? `use one spelling for both: ${name}` : `describe the system in ${submitter.path}/systems/${name}.yaml (and .pdf)`,
      })
    })
    for (const system of systems) {
      if (!results.includes(system)) outcomes.push(fail(`${submitter.path}/systems/${system}.yaml: no results/${system}/ for it`, {evidence: [{file: `${submitter.path}/systems/${system}.yaml`}], severity: 'warn', fix: 'remove the description of a system with no results, or add its results'}))
    }
    return outcomes
  }),
})

/** R 2.1.27: training models (MODELS_CLOSED, rules.md §1.1) and phases */
const TRAINING_MODELS = ['unet3d', 'retinanet']
const TRAINING_PHASES = ['datasize', 'datagen', 'run']

export const submissionLayout = defineRule({
  id: '2.1.27 submissionLayout',
  scope: 'submission',
  title: 'results/<system>/ holds benchmark folders (training, checkpointing, kv_cache, vector_database); training/<unet3d|retinanet>/<datasize|datagen|run>/',
  source: 'rules.md §2.1 diagram (R 2.1.27; training workloads and phases, mlpstorage-spec.md §8.9)',
  severity: 'error',
  check: tree => each(tree, submitter => {
    const outcomes: RuleOutcome[] = []
    const results = `${submitter.path}/results`
    for (const system of children(tree, results).folders) {
      const systemPath = `${results}/${system}`
      for (const benchmark of children(tree, systemPath).folders) {
        const at = `${systemPath}/${benchmark}`
        if (!(BENCHMARK_FOLDERS as readonly string[]).includes(benchmark)) {
          const installed = tree.benchmarks[benchmark]
          outcomes.push(fail(installed
            ? `${at}: "${benchmark}" holds results of the ${installed.name} benchmark of plugin ${installed.plugin}, which is not one of the rules' benchmarks (${BENCHMARK_FOLDERS.join(', ')})`
            : `${at}: "${benchmark}" is not a benchmark folder (${BENCHMARK_FOLDERS.join(', ')})`, {
            evidence: [{file: at}],
            fix: installed ? `keep ${installed.plugin}'s results out of the submission tree (another --results-dir)` : 'put each result under its benchmark\'s folder',
          }))
          continue
        }
        if (benchmark !== 'training') continue
        for (const model of children(tree, at).folders) {
          if (submitter.division.toLowerCase() === 'closed' && !TRAINING_MODELS.includes(model)) {
            outcomes.push(fail(`${at}/${model}: "${model}" is not a CLOSED training workload (${TRAINING_MODELS.join(', ')})`, {evidence: [{file: `${at}/${model}`}], fix: 'submit other models in open'}))
          }
          for (const phase of children(tree, `${at}/${model}`).folders.filter(name => !TRAINING_PHASES.includes(name))) {
            outcomes.push(fail(`${at}/${model}/${phase}: training phases are ${TRAINING_PHASES.join(', ')}`, {evidence: [{file: `${at}/${model}/${phase}`}], fix: 'keep each invocation under datasize/, datagen/ or run/'}))
          }
        }
      }
    }
    return outcomes
  }),
})

/** R 2.1.13: run leaves are `YYYYMMDD_HHMMSS` */
const TIMESTAMP = /^\d{8}_\d{6}$/
/** the name mlps gives the second and later of runs started in one second into one folder */
const SAME_SECOND = /^\d{8}_\d{6}_\d+$/

function fixOfName(name: string): string {
  if (SAME_SECOND.test(name)) return 'runs started in the same second into this folder (mlps adds the _N suffix): a submission\'s runs follow one another, so keep one of them and remove the others (mlps runs remove)'
  return isRunFolderName(name) ? 'v1.0-style run folders (run1, run_1, hydra dates) are not accepted in v3.0: use the folders mlps writes' : 'name the leaf after its timestamp'
}

export const timestampFolders = defineRule({
  id: '2.1.13 timestampDirectoryName',
  scope: 'submission',
  title: 'every run leaf of a submission is a YYYYMMDD_HHMMSS timestamp folder',
  source: 'rules.md §2.1 (R 2.1.13)',
  severity: 'error',
  check(tree) {
    const submitters = submitterFolders(tree).map(submitter => `${submitter.path}/results/`)
    const outcomes = tree.runs
      .filter(run => submitters.some(prefix => run.path.startsWith(prefix)) && !TIMESTAMP.test(nameOf(run.path)))
      .map(run => fail(`${run.path}: the run folder "${nameOf(run.path)}" is not YYYYMMDD_HHMMSS`, {
        evidence: [{file: run.path}], fix: fixOfName(nameOf(run.path)),
      }))
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const submissionRules: readonly AnyRule[] = [submitterName, divisionName, submitterContents, systemFilePairs, systemNamesMatch, submissionLayout, timestampFolders]

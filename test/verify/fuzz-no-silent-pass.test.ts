import assert from 'node:assert/strict'
import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {basename, join, relative} from 'node:path'
import type {RulesEdition} from '../../src/registry/definitions.js'
import {editionV3Corrected} from '../../plugins/rules-v3/src/editions.js'
import {buildResultsReport} from '../../src/report/write-report.js'
import {type VerificationReport, verifyTree} from '../../src/verify/evaluate.js'
import type {Finding} from '../../src/verify/finding.js'
import {loadResultsTree} from '../../src/verify/tree-loader.js'
import {isolatedEnv, runCli, tempDir} from '../helpers/cli.js'
import {firstPartyCatalogue} from '../helpers/results-catalogue.js'
import {copyPublishedV1, editionV1, filesUnder, FIXTURES, seededRandom} from './fuzz-setup.js'

// Seeded mutants of real result trees (the published v1.0 and v3.0 files in
// fixtures/, the native KV-cache and vector-database runs mlps wrote, and a
// native training leaf made here with the built CLI): a mutation that breaks
// a required result never leaves the verdict as the intact tree's, verify
// and reportgen never throw or hang, and the CLI's exit codes stay the
// documented ones. MLPS_FUZZ_SEED replays a failing seed; MLPS_FUZZ_MUTANTS sets the count.

const SEED = Number(process.env.MLPS_FUZZ_SEED ?? 20_261_201)
const MUTANTS = Number(process.env.MLPS_FUZZ_MUTANTS ?? 240)
const PER_MUTANT_MS = 30_000
/** every this many mutants, the built CLI verifies the mutant too (its exit code) */
const CLI_EVERY = 40

/** the files a result is made of: the engines' summaries, per-epoch stats and rank outputs (a KV-cache rank's results), the records, the system descriptions */
const REQUIRED = /(^|\/)((\d+_)?(per_epoch_stats|output)|summary|statistics|metadata|[a-z_]+_\d{8}_\d{6}_metadata|result_verdict|kvcache_results_[^/]+)\.json$|\/systems\/[^/]+\.(json|yaml)$/
/** a KV-cache rank's results: the summary.json beside them aggregates them */
const KV_RANK_RESULTS = /\/kvcache_results_[^/]+\.json$/
/** what the KV-cache aggregate reads of a rank's results (summary.json's sums and maxima) */
const KV_RANK_FIELDS = ['total_requests', 'total_tokens', 'elapsed_time', 'avg_throughput_tokens_per_sec', 'requests_per_second', 'storage_io_latency_ms', 'cache_stats']
/** files whose every number is range-checked: the summaries (the record's numbers outside `metrics` are not figures) */
const RANGE_CHECKED = /(^|\/)summary\.json$/

interface Tree {
  name: string
  root: string
  edition: RulesEdition
  required: string[]
  intact: VerificationReport
}

type Oracle = 'names-the-file' | 'changes-the-verdict' | 'flags-a-figure' | 'no-crash'
interface Mutation {
  name: string
  apply(file: string, text: string, next: () => number): {text?: string; oracle: Oracle; detail?: string}
}

const NUMBER = /"([^"]+)":\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[,}\]])/g

/** Replace one numeric value (chosen by the generator) with `replacement(value)`. */
function replaceNumber(text: string, next: () => number, replacement: (value: number) => string): {text: string; key: string; value: number} | undefined {
  const matches = [...text.matchAll(NUMBER)].filter(match => Number(match[2]) !== 0)
  if (matches.length === 0) return undefined
  const match = matches[Math.floor(next() * matches.length)]
  const at = match.index + match[0].length - match[2].length
  return {text: text.slice(0, at) + replacement(Number(match[2])) + text.slice(at + match[2].length), key: match[1], value: Number(match[2])}
}

const isJson = (file: string) => file.endsWith('.json')

const MUTATIONS: Mutation[] = [
  {name: 'replaced with {', apply: () => ({text: '{', oracle: 'names-the-file'})},
  {name: 'truncated mid-write', apply: (_file, text) => ({text: text.slice(0, Math.floor(text.length / 2)), oracle: 'names-the-file'})},
  {name: 'zero-length', apply: () => ({text: '', oracle: 'names-the-file'})},
  // a deleted record turns an mlps leaf into an engine leaf: its verdict changes, no file is there to name
  // a deleted record turns an mlps leaf into an engine leaf: its verdict changes, no file is there to name;
  // statistics.json is vdbbench's raw output, which the summary.json beside it reduces (only the summary is required, R 2.1.27)
  // a deleted KV-cache rank's results leave its rank folder, which the finding names, without the file's own name
  {name: 'deleted', apply: file => ({oracle: basename(file) === 'metadata.json' || /_metadata\.json$/.test(file) || KV_RANK_RESULTS.test(`/${file}`) ? 'changes-the-verdict' : basename(file) === 'statistics.json' ? 'no-crash' : 'names-the-file'})},
  {name: 'a field the KV-cache aggregate reads removed', apply(file, text, next) {
    if (!KV_RANK_RESULTS.test(`/${file}`)) return {text, oracle: 'no-crash'}
    const document = JSON.parse(text) as {summary: Record<string, unknown>}
    const field = KV_RANK_FIELDS[Math.floor(next() * KV_RANK_FIELDS.length)]
    delete document.summary[field]
    return {text: JSON.stringify(document), oracle: 'names-the-file', detail: `summary.${field} removed`}
  }},
  {name: 'a figure 1e308', apply(file, text, next) {
    const changed = replaceNumber(text, next, () => '1e308')
    if (!changed) return {text, oracle: 'no-crash'}
    // AU, CPU busy: a percentage above 100; a training throughput above what 100 % AU allows; a checkpoint or KV-cache rate above what its counts and times allow
    const impossible = RANGE_CHECKED.test(file) && (/percent/i.test(changed.key) || /^train_(throughput|io)_mean|^(save|load)_checkpoint_io_mean|^aggregated_(avg_throughput|read_bandwidth|write_bandwidth)_|^(avg_throughput_tokens_per_sec|read_bandwidth_gbps|write_bandwidth_gbps)$/.test(changed.key))
    return {text: changed.text, oracle: impossible ? 'flags-a-figure' : 'no-crash', detail: `${changed.key}: ${changed.value} → 1e308`}
  }},
  {name: 'a figure 1e999 (Infinity)', apply(file, text, next) {
    const changed = replaceNumber(text, next, () => '1e999')
    return changed ? {text: changed.text, oracle: RANGE_CHECKED.test(file) ? 'flags-a-figure' : 'no-crash', detail: `${changed.key}: ${changed.value} → 1e999`} : {text, oracle: 'no-crash'}
  }},
  {name: 'a figure negated', apply(file, text, next) {
    const changed = replaceNumber(text, next, value => String(-Math.abs(value)))
    return changed ? {text: changed.text, oracle: RANGE_CHECKED.test(file) ? 'flags-a-figure' : 'no-crash', detail: `${changed.key}: ${changed.value} → ${-Math.abs(changed.value)}`} : {text, oracle: 'no-crash'}
  }},
  {name: 'a figure the string "NaN"', apply(_file, text, next) {
    const changed = replaceNumber(text, next, () => '"NaN"')
    return {text: changed?.text ?? text, oracle: 'no-crash', detail: changed && `${changed.key}: ${changed.value} → "NaN"`}
  }},
  {name: 'a figure of the wrong type', apply(_file, text, next) {
    const kinds = ['[]', '{"x": 1}', 'true', '"12"']
    const kind = kinds[Math.floor(next() * kinds.length)]
    const changed = replaceNumber(text, next, () => kind)
    return {text: changed?.text ?? text, oracle: 'no-crash', detail: changed && `${changed.key}: ${changed.value} → ${kind}`}
  }},
  {name: 'a key duplicated with another value', apply(_file, text) {
    const first = /^\s*\{\s*"([^"]+)"/.exec(text)
    const end = text.lastIndexOf('}')
    if (!first || end < 0) return {text, oracle: 'no-crash'}
    return {text: `${text.slice(0, end)}, "${first[1]}": null${text.slice(end)}`, oracle: 'no-crash', detail: `"${first[1]}" repeated as null`}
  }},
]

const signature = (findings: readonly Finding[]) => findings.map(finding => `${finding.severity} ${finding.ruleId} ${finding.message}`).sort().join('\n')

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${PER_MUTANT_MS / 1000} s (a hang)`)), PER_MUTANT_MS)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** an error finding naming the file: its path as evidence or in the message (or its folder and name), or its name under its run */
function errorsNaming(report: VerificationReport, file: string): Finding[] {
  const tail = file.split('/').slice(-2).join('/')
  return report.findings.filter(finding => finding.severity === 'error' && (finding.message.includes(file) || finding.message.includes(tail)
    || (finding.evidence ?? []).some(evidence => evidence.file === file || (evidence.file !== undefined && file.startsWith(`${evidence.file}/`) && finding.message.includes(basename(file))))))
}

describe('fuzz: mutants of real result trees never pass silently, crash or hang', function () {
  this.timeout(15 * 60_000)
  const scratch = tempDir('mlps-fuzz-')
  const trees: Tree[] = []

  before(async () => {
    const v1 = await editionV1()
    const v1Root = join(scratch, 'v1')
    copyPublishedV1(v1Root, [['Hammerspace', 'Hammerspace_resnet50_1Client_A100'], ['DDN', 'AI400X2T_24x14TiB_nvme_8xNDR200_18clients']], {descriptions: true})
    const sources: Array<[string, string, RulesEdition]> = [
      ['v1.0 Hammerspace resnet50 and DDN unet3d (18 hosts)', v1Root, v1],
      ['v3.0 SAMSUNG llama3-8b checkpointing', join(FIXTURES, 'checkpointing-v3.0'), editionV3Corrected],
      ['native KV-cache run', join(FIXTURES, 'kvcache-native-run'), editionV3Corrected],
      ['native vector-database workload', join(FIXTURES, 'vectordb-native-run'), editionV3Corrected],
    ]
    // a native training leaf, made once with the built CLI: the files mlps writes today
    const native = join(scratch, 'native')
    const env = isolatedEnv()
    const common = ['--model', 'unet3d', '--data-dir', join(scratch, 'native-data'), '--results-dir', native,
      '--param', 'dataset.num_files_train=42', '--param', 'dataset.record_length_bytes=262144', '--param', 'dataset.record_length_bytes_stdev=65536']
    for (const args of [['training', 'datagen', ...common, '--num-accelerators', '2'], ['training', 'run', ...common, '-g', 'h100', '--num-accelerators', '2', '--param', 'train.epochs=2', '--param', 'train.computation_time=0.02']]) {
      const result = await runCli([...args, '--json'], {env})
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    }
    rmSync(join(scratch, 'native-data'), {recursive: true, force: true})
    sources.push(['native training run (made here)', native, editionV3Corrected])
    const catalogue = await firstPartyCatalogue()
    for (const [name, source, edition] of sources) {
      // each tree is mutated in place and restored: a private copy, so a run killed mid-mutant leaves fixtures/ intact
      const root = source.startsWith(scratch) ? source : join(scratch, `tree-${trees.length}`)
      if (root !== source) cpSync(source, root, {recursive: true})
      const required = filesUnder(root).filter(file => REQUIRED.test(`/${file}`) && !file.includes('/.mlps/'))
      assert.ok(required.length > 0, `${name}: no required files found`)
      const intact = verifyTree(await loadResultsTree(root, catalogue), edition)
      // no false alarm: an intact real tree holds no broken or impossible input
      assert.deepEqual(intact.findings.filter(finding => finding.severity === 'error' && finding.kind === 'input'), [], name)
      trees.push({name, root, edition, required, intact})
    }
    console.log(`      fuzz seed ${SEED}, ${MUTANTS} mutants (replay: MLPS_FUZZ_SEED=${SEED} npx mocha ${relative(process.cwd(), import.meta.filename)})`)
  })

  after(() => rmSync(scratch, {recursive: true, force: true}))

  it('every mutant: a broken required result is named by an error, an impossible figure is flagged, reportgen publishes only finite figures, and verify exits as documented', async () => {
    const next = seededRandom(SEED)
    const catalogue = await firstPartyCatalogue()
    const failures: string[] = []
    const oracles = new Map<Oracle, number>()
    for (let index = 0; index < MUTANTS; index++) {
      const tree = trees[Math.floor(next() * trees.length)]
      const file = tree.required[Math.floor(next() * tree.required.length)]
      const mutation = MUTATIONS[Math.floor(next() * MUTATIONS.length)]
      if (mutation.name.startsWith('a ') && !isJson(file)) continue
      const target = join(tree.root, file)
      const original = readFileSync(target)
      const applied = mutation.apply(file, original.toString('utf8'), next)
      if (applied.text === undefined) rmSync(target)
      else writeFileSync(target, applied.text)
      const label = `mutant ${index} (seed ${SEED}): ${tree.name}: ${file} ${mutation.name}${applied.detail ? ` (${applied.detail})` : ''}`
      oracles.set(applied.oracle, (oracles.get(applied.oracle) ?? 0) + 1)
      try {
        const loaded = await withTimeout(loadResultsTree(tree.root, catalogue), label)
        const report = verifyTree(loaded, tree.edition)
        assert.ok(['CLOSED', 'OPEN', 'INVALID', 'UNVERIFIED'].includes(report.category))
        const silent = report.category === tree.intact.category && signature(report.findings) === signature(tree.intact.findings)
        if (applied.oracle === 'names-the-file' && errorsNaming(report, file).length === 0) {
          failures.push(`${label}: no error names ${file} (${report.category}); errors: ${report.findings.filter(f => f.severity === 'error').map(f => f.ruleId).join(', ') || 'none'}`)
        }
        if (applied.oracle === 'changes-the-verdict' && silent) failures.push(`${label}: the same verdict and findings as the intact tree`)
        if (applied.oracle === 'flags-a-figure' && !report.findings.some(finding => finding.severity === 'error' && finding.kind === 'input')) {
          failures.push(`${label}: no error flags the impossible figure (${report.category})`)
        }
        const {report: results} = buildResultsReport(loaded, tree.edition, catalogue)
        for (const row of results.rows) {
          for (const [column, value] of Object.entries(row.metrics)) {
            if (value !== null && !Number.isFinite(value)) failures.push(`${label}: reportgen publishes ${column} = ${value} for ${row.path}`)
            if (applied.oracle === 'flags-a-figure' && value !== null && value >= 1e300) failures.push(`${label}: reportgen publishes ${column} = ${value} for ${row.path}`)
          }
        }
        JSON.stringify(results)
        if (index % CLI_EVERY === 0) {
          const cli = await runCli(['verify', tree.root, '--edition', tree.edition.name, '--json'], {env: isolatedEnv()})
          const expected = report.category === 'INVALID' ? 4 : 0
          if (cli.exitCode !== expected) failures.push(`${label}: mlps verify exited ${cli.exitCode}, the documented code for ${report.category} is ${expected}: ${cli.stderr.slice(0, 400)}`)
        }
      } catch (error) {
        failures.push(`${label}: threw ${(error as Error).stack ?? String(error)}`)
      } finally {
        writeFileSync(target, original)
      }
    }
    assert.ok((oracles.get('names-the-file') ?? 0) > 0 && (oracles.get('flags-a-figure') ?? 0) > 0, `the seed exercised too few breaking mutations: ${JSON.stringify([...oracles])}`)
    assert.deepEqual(failures, [], `${failures.length} of ${MUTANTS} mutants (seed ${SEED}):\n${failures.join('\n')}`)
  })
})

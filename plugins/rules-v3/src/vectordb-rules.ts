import {type AnyRule, type Evidence, type LoadedRun, type RuleOutcome} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'
import {toNumber, valueAt} from './facts.js'
import {vectordbSummaryOf} from '@mlps/result-formats'

// MLPerf Storage v3.0 vector-database rules (rules.md §1.4, R §5; SC vdb_checks; mlpstorage-spec.md §3.6 "VectorDB CLOSED").

export const VDB_RUNS = 5
export const CLOSED_INDEX_TYPES = ['DISKANN', 'HNSW', 'AISAQ']
/** R 5.6.5: OPEN may also use these */
export const OPEN_INDEX_TYPES = ['IVF_FLAT', 'IVF_SQ8', 'FLAT']
export const CLOSED_BACKEND = 'milvus'
/** vdbbench's FLAT ground-truth copy must cover 99 % of the vectors (storage issue #572) */
export const MIN_GROUND_TRUTH_COVERAGE = 0.99
const LATENCY_METRICS = ['throughput_qps', 'mean_latency_ms', 'p95_latency_ms', 'p99_latency_ms', 'p999_latency_ms'] as const

/**
 * R 5.6.2–5.6.4, as the vectordb plugin names the settings: the metric, the index build and search
 * parameters, the query processes and batch, the run mode (runtime or query count), the collection
 * and dataset loading knobs. The scale (dimension, vector count) is judged by 5.1.1, the index type
 * and the backend by their own rules.
 */
export const CLOSED_VDB_PARAMS = new Set([
  'metricType', 'indexParams.M', 'indexParams.efConstruction', 'indexParams.maxDegree', 'indexParams.searchListSize', 'indexParams.inlinePq',
  'searchEf', 'processes', 'queryBatchSize', 'runtime', 'queries', 'reportCount', 'collection', 'numShards', 'chunkSize', 'loadBatchSize',
  'vectorDtype', 'force', 'compact', 'monitorInterval', 'gtCollection', 'indexType', 'dimension', 'numVectors',
])
/** overrides that equal the reference default are not changes (vdbbench: seed 42, top-10, 1,000 recall queries, uniform data) */
const REFERENCE_DEFAULTS: Readonly<Record<string, unknown>> = {seed: 42, searchLimit: 10, recallK: 10, numQueryVectors: 1000, distribution: 'uniform'}

const file = (run: LoadedRun) => run.sources.record ?? run.sources.metadata ?? run.sources.summary ?? run.path

/** The effective setting: the mlps record's parameters, vdbbench's config.json, or the summary. */
function setting(run: LoadedRun, key: string, summaryKey?: string): {value: unknown; evidence: Evidence} {
  const fromParameters = valueAt(run.parameters, key)
  if (fromParameters !== undefined) return {value: fromParameters, evidence: {file: file(run), path: `parameters.effective.${key}`, value: fromParameters}}
  const config = run.documents['config.json']
  const fromConfig = valueAt(config, key)
  if (fromConfig !== undefined) return {value: fromConfig, evidence: {file: `${run.path}/config.json`, path: key, value: fromConfig}}
  const fromSummary = summaryKey ? valueAt(vectordbSummaryOf(run), summaryKey) : undefined
  return {value: fromSummary, evidence: {file: run.sources.summary ?? file(run), path: summaryKey ?? key, value: fromSummary}}
}

function indexType(run: LoadedRun): {value?: string; evidence: Evidence} {
  const fact = setting(run, 'indexType', 'index_type')
  if (typeof fact.value === 'string') return {value: fact.value.toUpperCase(), evidence: fact.evidence}
  // vector_database/<backend>/<INDEX>/…
  const fromPath = run.modelPath?.length === 2 ? run.modelPath[1] : undefined
  return {value: fromPath?.toUpperCase(), evidence: {file: run.path, path: 'vector_database/<backend>/<INDEX>', value: fromPath}}
}

function backend(run: LoadedRun): {value?: string; evidence: Evidence} {
  const fact = setting(run, 'backend')
  if (typeof fact.value === 'string') return {value: fact.value.toLowerCase(), evidence: fact.evidence}
  const fromPath = run.modelPath?.length === 2 ? run.modelPath[0] : undefined
  return {value: fromPath?.toLowerCase(), evidence: {file: run.path, path: 'vector_database/<backend>/<INDEX>', value: fromPath}}
}

const dimension = (run: LoadedRun) => {
  const fact = setting(run, 'dimension', 'dimension')
  return {value: toNumber(fact.value), evidence: fact.evidence}
}

const metric = (run: LoadedRun, name: string) => toNumber(run.metrics[name])
const metricEvidence = (run: LoadedRun, name: string): Evidence => ({file: run.sources.record ?? run.sources.summary ?? run.path, path: run.sources.record ? `metrics.${name}` : name, value: run.metrics[name]})

export const vdbFiveRuns = defineRule({
  id: '5.3.1 vdbFiveRuns',
  scope: 'group',
  title: 'exactly five run folders per index',
  source: 'rules.md §1.4 (R 5.3.1)',
  severity: 'error',
  benchmarks: ['vector_database'],
  check(group) {
    if (group.runs.length === VDB_RUNS) return pass()
    return fail(`${group.path}: ${group.runs.length} run folder(s); R 5.3.1 requires exactly ${VDB_RUNS}`, {
      evidence: group.runs.map(run => ({file: run.path})), fix: group.runs.length > VDB_RUNS ? 'keep five runs and move the others out of the submission' : `run ${VDB_RUNS - group.runs.length} more time(s) against the same collection`,
    })
  },
})

export const vdbDefinedScale = defineRule({
  id: '5.1.1 vdbDefinedScale',
  scope: 'group',
  title: 'the collection is one of the defined scales (vector count, dimension)',
  source: 'rules.md §1.4 and §4 item 17 (R 5.1.1: the scale table is not defined; SC logs INFO)',
  severity: 'info',
  benchmarks: ['vector_database'],
  check(group) {
    const lead = group.datagen[0] ?? group.runs[0]
    const scale = lead ? `${metric(lead, 'num_vectors') ?? '?'} vectors × ${dimension(lead).value ?? '?'} dimensions` : 'unknown scale'
    return notEvaluable(`${group.path}: ${scale}; Rules.md names no table of allowed scales to compare it with`)
  },
})

export const vdbMinimumQueries = defineRule({
  id: '5.3.3 vdbMinimumQueryCount',
  scope: 'group',
  title: 'each run issues at least the minimum number of queries',
  source: 'rules.md §1.4 and §4 item 17 (R 5.3.3: the minimum is not defined)',
  severity: 'info',
  benchmarks: ['vector_database'],
  check(group) {
    const counts = group.runs.map(run => metric(run, 'total_queries'))
    return notEvaluable(`${group.path}: ${counts.map(count => count ?? '?').join(', ') || 'no'} queries per run; Rules.md defines no minimum`)
  },
})

export const vdbLoadRunDimension = defineRule({
  id: '5.1.2 vdbLoadRunDimension',
  scope: 'group',
  title: 'the runs query vectors of the dimension that was loaded',
  source: 'rules.md §1.4 (R 5.1.2)',
  severity: 'error',
  benchmarks: ['vector_database'],
  check(group) {
    const datagen = group.datagen.at(-1)
    if (!datagen) return notEvaluable(`${group.path}: no datagen leaf`, {fix: 'include the datagen/<timestamp>/ folder of the collection the runs query'})
    const loaded = dimension(datagen)
    if (loaded.value === undefined) return notEvaluable(`${datagen.path}: the loaded dimension is not recorded`, {evidence: [loaded.evidence]})
    const outcomes: RuleOutcome[] = []
    for (const run of group.runs) {
      const queried = dimension(run)
      if (queried.value === undefined) outcomes.push(notEvaluable(`${run.path}: the query dimension is not recorded`, {evidence: [queried.evidence]}))
      else if (queried.value !== loaded.value) {
        outcomes.push(fail(`${run.path}: queries of dimension ${queried.value} against a collection loaded with ${loaded.value}`, {evidence: [queried.evidence, loaded.evidence], fix: `run with --dimension ${loaded.value}`}))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const vdbInsertedVectors = defineRule({
  id: '5.2.1 vdbInsertedVectors',
  scope: 'group',
  title: 'the datagen inserted every vector it was asked for',
  source: 'rules.md §1.4 (R 5.2.1: inserted_vectors ≥ num_vectors)',
  severity: 'error',
  benchmarks: ['vector_database'],
  check(group) {
    const datagen = group.datagen.at(-1)
    if (!datagen) return notEvaluable(`${group.path}: no datagen leaf`, {fix: 'include the datagen/<timestamp>/ folder'})
    const inserted = metric(datagen, 'inserted_vectors')
    const wanted = metric(datagen, 'num_vectors') ?? toNumber(setting(datagen, 'numVectors').value)
    if (inserted === undefined || wanted === undefined) return notEvaluable(`${datagen.path}: inserted_vectors or num_vectors is not recorded`, {evidence: [metricEvidence(datagen, 'inserted_vectors')]})
    if (inserted >= wanted) return pass()
    return fail(`${datagen.path}: ${inserted} of ${wanted} vectors were inserted`, {evidence: [metricEvidence(datagen, 'inserted_vectors'), metricEvidence(datagen, 'num_vectors')], fix: 'run datagen again with --force until the load completes'})
  },
})

export const vdbIndexBuilt = defineRule({
  id: '5.2.2 vdbIndexBuiltAndReused',
  scope: 'group',
  title: 'the datagen built the index, and the runs query that same index type',
  source: 'rules.md §1.4 (R 5.2.2)',
  severity: 'error',
  benchmarks: ['vector_database'],
  check(group) {
    const datagen = group.datagen.at(-1)
    if (!datagen) return notEvaluable(`${group.path}: no datagen leaf`, {fix: 'include the datagen/<timestamp>/ folder'})
    const built = indexType(datagen)
    const outcomes: RuleOutcome[] = []
    if (metric(datagen, 'index_build_seconds') === undefined) {
      outcomes.push(fail(`${datagen.path}: nothing records that the index was built`, {evidence: [metricEvidence(datagen, 'index_build_seconds')], fix: 'let datagen finish building (and compacting) the index'}))
    }
    if (built.value === undefined) return [...outcomes, notEvaluable(`${datagen.path}: the index type is not recorded`, {evidence: [built.evidence]})]
    for (const run of group.runs) {
      const queried = indexType(run)
      if (queried.value !== undefined && queried.value !== built.value) {
        outcomes.push(fail(`${run.path}: queries a ${queried.value} index, the datagen built ${built.value}`, {evidence: [queried.evidence, built.evidence], fix: `run with --index-type ${built.value}`}))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const vdbRecall = defineRule({
  id: '5.3.2 vdbRecallReported',
  scope: 'run',
  title: 'the run reports a recall, and it is above 0',
  source: 'rules.md §1.4 (R 5.3.2; the minimum recall is not defined, §4 item 17)',
  severity: 'error',
  benchmarks: ['vector_database'],
  commands: ['run'],
  check(run) {
    const recall = metric(run, 'recall_at_k')
    const evidence = [metricEvidence(run, 'recall_at_k')]
    if (recall === undefined) return fail(`${run.path}: no recall: the result cannot be judged`, {evidence, fix: 'run with ground truth (do not pass --no-create-flat)'})
    if (recall > 0) return pass()
    return fail(`${run.path}: recall ${recall}: the index returned none of the true neighbours, or the ground truth is broken`, {evidence, fix: 'check the ground-truth collection and --search-ef'})
  },
})

export const vdbMetricsReported = defineRule({
  id: '5.3.4 vdbMetricsReported',
  scope: 'run',
  title: 'throughput_qps and the mean, P95, P99 and P99.9 latencies are reported',
  source: 'rules.md §1.4 (R 5.3.4)',
  severity: 'error',
  benchmarks: ['vector_database'],
  commands: ['run'],
  check(run) {
    const missing = LATENCY_METRICS.filter(name => metric(run, name) === undefined)
    if (missing.length === 0) return pass()
    return fail(`${run.path}: ${missing.join(', ')} not reported`, {evidence: missing.map(name => metricEvidence(run, name)), fix: 'keep the summary.json/statistics.json vdbbench wrote'})
  },
})

export const vdbGroundTruth = defineRule({
  id: '5.3.5 vdbGroundTruthComplete',
  scope: 'run',
  title: 'the recall was computed against a complete ground truth (result_verdict.json valid, FLAT coverage ≥ 99 %)',
  source: 'rules.md §1.4 (R 5.3.5; #808, storage issue #572)',
  severity: 'error',
  benchmarks: ['vector_database'],
  commands: ['run'],
  check(run) {
    const verdict = run.documents['result_verdict.json'] as {valid?: unknown; result?: unknown; flat_setup?: {coverage?: unknown; ok?: unknown}} | undefined
    const where = `${run.path}/result_verdict.json`
    if (!verdict) {
      return fail(`${run.path}: no result_verdict.json, so nothing shows the ground truth was complete`, {evidence: [{file: where}], fix: 'use a vdbbench (or mlps engine) that writes result_verdict.json, and keep it'})
    }
    const outcomes: RuleOutcome[] = []
    if (verdict.valid !== true) outcomes.push(fail(`${run.path}: the run's verdict is "${String(verdict.result ?? verdict.valid)}"`, {evidence: [{file: where, path: 'valid', value: verdict.valid}], fix: 'fix what the verdict names and run again'}))
    const coverage = toNumber(verdict.flat_setup?.coverage)
    if (coverage !== undefined && coverage < MIN_GROUND_TRUTH_COVERAGE) {
      outcomes.push(fail(`${run.path}: the FLAT ground truth covers ${(coverage * 100).toFixed(1)} % of the vectors (≥ 99 % required)`, {evidence: [{file: where, path: 'flat_setup.coverage', value: coverage}], fix: 'rebuild the <collection>_flat_gt collection'}))
    }
    if (run.metrics.ground_truth_complete === false) outcomes.push(fail(`${run.path}: the run record says the ground truth is incomplete`, {evidence: [metricEvidence(run, 'ground_truth_complete')]}))
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const vdbClosedBackend = defineRule({
  id: '5.6.2 vdbClosedBackend',
  scope: 'run',
  title: 'CLOSED runs use Milvus',
  source: 'rules.md §1.4 (R 5.6.2; OPEN adds Elasticsearch, pgvector, R 5.6.5)',
  severity: 'warn',
  benchmarks: ['vector_database'],
  divisions: ['closed'],
  check(run) {
    const fact = backend(run)
    if (fact.value === undefined) return notEvaluable(`${run.path}: the database backend is not recorded`, {evidence: [fact.evidence]})
    if (fact.value === CLOSED_BACKEND) return pass()
    return fail(`${run.path}: backend "${fact.value}"; CLOSED uses ${CLOSED_BACKEND}`, {evidence: [fact.evidence], openOnly: true, fix: 'submit it in open, or run against Milvus'})
  },
})

export const vdbClosedIndexType = defineRule({
  id: '5.6.3 vdbClosedIndexType',
  scope: 'run',
  title: 'CLOSED runs use a DISKANN, HNSW or AISAQ index (IVF_FLAT, IVF_SQ8, FLAT are OPEN)',
  source: 'rules.md §1.4 (R 5.6.3, R 5.6.5)',
  severity: 'error',
  benchmarks: ['vector_database'],
  divisions: ['closed'],
  check(run) {
    const fact = indexType(run)
    if (fact.value === undefined) return notEvaluable(`${run.path}: the index type is not recorded`, {evidence: [fact.evidence]})
    if (CLOSED_INDEX_TYPES.includes(fact.value)) return pass()
    if (OPEN_INDEX_TYPES.includes(fact.value)) return fail(`${run.path}: index ${fact.value} is allowed in OPEN only`, {evidence: [fact.evidence], openOnly: true, severity: 'warn', fix: 'use DISKANN, HNSW or AISAQ for CLOSED, or submit in open'})
    return fail(`${run.path}: index ${fact.value} is not one of ${[...CLOSED_INDEX_TYPES, ...OPEN_INDEX_TYPES].join(', ')}`, {evidence: [fact.evidence], fix: `use one of ${CLOSED_INDEX_TYPES.join(', ')}`})
  },
})

export const vdbClosedParameters = defineRule({
  id: '5.6.4 vdbClosedParameters',
  scope: 'run',
  title: 'CLOSED runs change only the listed load, index and run parameters; anything else makes the result OPEN',
  source: 'rules.md §1.4 (R 5.6.2–5.6.5; mlpstorage-spec.md §3.6 "VectorDB CLOSED")',
  severity: 'warn',
  benchmarks: ['vector_database'],
  divisions: ['closed'],
  check(run) {
    const outcomes = Object.entries(run.userOverrides)
      .filter(([key, value]) => !CLOSED_VDB_PARAMS.has(key) && !(key in REFERENCE_DEFAULTS && REFERENCE_DEFAULTS[key] === value))
      .map(([key, value]) => fail(`${run.path}: ${key}=${JSON.stringify(value)} is not a CLOSED parameter`, {
        evidence: [{file: file(run), path: `parameters.userOverrides.${key}`, value}], openOnly: true, fix: 'drop the flag, or submit in open',
      }))
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const vectordbRules: readonly AnyRule[] = [
  vdbFiveRuns, vdbDefinedScale, vdbMinimumQueries, vdbLoadRunDimension, vdbInsertedVectors, vdbIndexBuilt,
  vdbRecall, vdbMetricsReported, vdbGroundTruth, vdbClosedBackend, vdbClosedIndexType, vdbClosedParameters,
]

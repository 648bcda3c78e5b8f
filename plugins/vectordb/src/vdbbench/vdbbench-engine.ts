import {join} from 'node:path'
import {type VectordbRunOptions, VectordbRunOptionsSchema, requireRunOptions} from '@mlps/run-options'
import {type CheckContext, type CheckResult, type EngineDefinition, type Finding, type PreflightCheck, type EnginePlan, type EngineResult, type MetricValue, type RunContext} from 'mlps'
import {buildLaunch, resultOfFindings, runOf, findExecutable, formatCount, isLocalHost, plannedLeaf, runLaunch, writeJsonAtomic} from 'mlps/unstable'
import {VdbbenchOptionsSchema, type VdbbenchOptions} from '../options.js'
import {credentialSource, milvusToken} from './milvus-credentials.js'
import {checkCollection, portReachable} from './milvus-checks.js'
import {LOAD_SCRIPT, loadArgv, QUERY_SCRIPT, queryArgv, type ScriptLocation} from './vdbbench-argv.js'
import {type HostRunPlan, planHostRuns, runOnHosts} from './host-runs.js'
import {chooseOrchestration} from './orchestration.js'
import {readIfPresent, readRunOutputs} from './run-outputs.js'
import {parseLoadLog} from './vdbbench-logs.js'
import {statisticsMetrics, summaryOf} from './vdbbench-statistics.js'
import {groundTruthComplete} from './vdbbench-verdict.js'

/** The rule ids of checkCollection's findings, each a check of its own. */
const COLLECTION_CHECKS = [
  ['vdbbench.collection', 'the collection the run queries exists'], ['vdbbench.collection.dimension', 'the collection has the run\'s dimension'],
  ['vdbbench.collection.rows', 'the collection holds the vectors the run counts on'], ['vdbbench.collection.index', 'the collection is indexed'],
  ['vdbbench.collection.loaded', 'the collection is loaded'], ['vdbbench.groundTruth', 'the ground-truth collection exists'],
] as const

const INSTALL_HINT = 'install the v3.0 VectorDB benchmark (Python ≥ 3.12) from a checkout of mlcommons/storage: `uv sync --extra vectordb && uv pip install -e ./vdb_benchmark` (then set engines.vdbbench.commandPrefix: [uv, run]) or `pip install -e ./vdb_benchmark`; or point engines.vdbbench.binDir at the folder holding load-vdb and vdbbench'

function location(ctx: RunContext): ScriptLocation {
  const options = ctx.engineOptions as VdbbenchOptions
  return {prefix: options.commandPrefix ?? [], binDir: options.binDir, configFile: options.configFile}
}

const vectordbRun = (ctx: RunContext): RunContext<VectordbRunOptions> => requireRunOptions(ctx, VectordbRunOptionsSchema, 'the vdbbench engine')

function outputLogs(ctx: RunContext): {stdout: string; stderr: string} {
  return {stdout: `vector_database_${ctx.command}.stdout.log`, stderr: `vector_database_${ctx.command}.stderr.log`}
}


function argvFor(ctx: RunContext<VectordbRunOptions>, leaf: string): string[] {
  return ctx.command === 'datagen' ? loadArgv(ctx.options, location(ctx)) : queryArgv(ctx.options, location(ctx), leaf)
}

function baseUrl(options: VectordbRunOptions): string {
  return options.milvus.uri ? options.milvus.uri.replace(/\/$/, '') : `http://${options.milvus.host.includes(':') ? `[${options.milvus.host}]` : options.milvus.host}:${options.milvus.port}`
}

function vdbbenchCheck(id: string, title: string, commands: readonly string[], run: (ctx: RunContext<VectordbRunOptions>, check: CheckContext) => Promise<CheckResult>): PreflightCheck {
  return {id, title, runsOn: 'invocation', engine: 'vdbbench', benchmark: 'vectordb', commands, modes: ['run'], run: check => run(vectordbRun(runOf(check)), check)}
}

/** Milvus answers on its port, probed once for the checks that talk to it. */
function milvusProblem(ctx: RunContext<VectordbRunOptions>, check: CheckContext): Promise<string | undefined> {
  const {host, port} = ctx.options.milvus
  return check.shared('vdbbench.milvus', () => portReachable(host, port, ((ctx.engineOptions as VdbbenchOptions).readyTimeoutSeconds ?? 5) * 1000))
}

/** The collection as Milvus describes it, asked once; each of its facts is a check of its own. */
function collectionFindings(ctx: RunContext<VectordbRunOptions>, check: CheckContext): Promise<Finding[]> {
  const options = ctx.options
  return check.shared('vdbbench.collection', () => checkCollection({
    baseUrl: baseUrl(options), token: milvusToken(), collection: options.collection, gtCollection: options.gtCollection,
    dimension: options.dimension, numVectors: options.numVectors, indexType: options.indexType, timeoutMs: ((ctx.engineOptions as VdbbenchOptions).readyTimeoutSeconds ?? 5) * 1000,
  }))
}

/** One of the collection's facts: what checkCollection found under this rule id, or ok. */
function collectionCheck(id: string, title: string): PreflightCheck {
  return vdbbenchCheck(id, title, ['run'], async (ctx, check) => {
    if (await milvusProblem(ctx, check)) return {status: 'skip', detail: 'not evaluable: Milvus is not reachable (vdbbench.milvus says why)'}
    const found = (await collectionFindings(ctx, check)).filter(finding => finding.ruleId === id)
    return resultOfFindings(found, `collection ${ctx.options.collection}: as the run needs it`)
  })
}

/** Before a load or a query run: the scripts, Milvus on its port, and (for a run) the collection the run queries. */
export const vdbbenchChecks: PreflightCheck[] = [
  vdbbenchCheck('vdbbench.installed', 'the v3.0 VectorDB scripts are installed', ['datagen', 'run'], async ctx => {
    const loc = location(ctx)
    const script = ctx.command === 'datagen' ? LOAD_SCRIPT : QUERY_SCRIPT
    const program = loc.prefix[0] ?? (loc.binDir ? join(loc.binDir, script) : script)
    if (ctx.command === 'run' && ctx.hosts.some(host => !isLocalHost(host.name))) {
      return {status: 'skip', detail: `not evaluable: whether ${QUERY_SCRIPT} is installed on the other hosts is not checked before the run; a host without it ends the run FAILED with its stderr in host_<name>/`}
    }
    const found = await findExecutable(program)
    if (found) return {status: 'ok', detail: found}
    return {status: 'fail', detail: `${program} was not found${program.includes('/') ? '' : ' on PATH'}: the v3.0 VectorDB scripts (${LOAD_SCRIPT}, ${QUERY_SCRIPT}) are not installed`, fix: INSTALL_HINT}
  }),
  vdbbenchCheck('vdbbench.milvus', 'Milvus answers on its port', ['datagen', 'run'], async (ctx, check) => {
    const {host, port} = ctx.options.milvus
    const problem = await milvusProblem(ctx, check)
    if (!problem) return {status: 'ok', detail: `Milvus at ${host}:${port} is reachable`}
    return {status: 'fail', detail: `Milvus at ${host}:${port} is not reachable (${problem})`,
      fix: 'start Milvus standalone (vdb_benchmark/stacks/milvus/standalone docker compose, or Milvus\'s DEB/RPM) or pass --host/--port/--uri'}
  }),
  ...COLLECTION_CHECKS.map(([id, title]) => collectionCheck(id, title)),
]

/** The query run across several hosts (mpi or ssh), or undefined when it runs here as one vdbbench. */
async function hostRunPlan(ctx: RunContext<VectordbRunOptions>, leaf: string): Promise<HostRunPlan | undefined> {
  if (ctx.command !== 'run') return undefined
  const {mode, launcher} = await chooseOrchestration(ctx)
  return mode === 'local' ? undefined : planHostRuns(ctx, mode, launcher, location(ctx), leaf)
}

async function plan(ctx: RunContext<VectordbRunOptions>): Promise<EnginePlan> {
  const options = ctx.options
  const hostRuns = await hostRunPlan(ctx, plannedLeaf(ctx))
  if (hostRuns) {
    const summary = `${QUERY_SCRIPT} on ${hostRuns.hosts.length} hosts over ${hostRuns.mode}: ${hostRuns.hosts.map(host => `${host.name} ${host.processes}`).join(', ')} of ${options.processes} query processes × batches of ${options.queryBatchSize} against ${options.collection}; outputs per host in host_<name>/, combined`
    return {
      engine: 'vdbbench', summary, launcher: hostRuns.launch?.launcher.kind ?? 'ssh', argv: hostRuns.launch?.argv, env: hostRuns.launch?.env,
      details: {
        credentials: credentialSource(), orchestration: hostRuns.mode,
        hosts: hostRuns.hosts.map(host => ({host: host.name, processes: host.processes, outputDir: host.outputDir, argv: hostRuns.mode === 'ssh' ? host.sshArgv : host.argv})),
      },
    }
  }
  const argv = argvFor(ctx, plannedLeaf(ctx))
  const summary = ctx.command === 'datagen'
    ? `${LOAD_SCRIPT}: load ${formatCount(options.numVectors)} vectors of dimension ${options.dimension} into ${options.collection} on Milvus ${options.milvus.host}:${options.milvus.port}, build ${options.indexType} (${options.metricType})${options.compact ? ', compact and wait' : ''}`
    : `${QUERY_SCRIPT}: ${options.processes} query processes × batches of ${options.queryBatchSize} against ${options.collection} for ${options.queries === undefined ? `${options.runtime} s` : `${formatCount(options.queries)} queries`}; recall@${options.recallK} on ${formatCount(options.numQueryVectors)} queries against ${options.gtCollection}`
  return {engine: 'vdbbench', summary, launcher: 'local', argv, details: {credentials: credentialSource(), orchestration: 'local', outputs: outputLogs(ctx)}}
}

async function execute(ctx: RunContext<VectordbRunOptions>): Promise<EngineResult> {
  const leaf = ctx.leaf!
  const options = ctx.options
  const hostRuns = await hostRunPlan(ctx, leaf)
  if (hostRuns) return runOnHosts(ctx, hostRuns, leaf)
  const argv = argvFor(ctx, leaf)
  const command = buildLaunch({kind: 'local'}, {
    command: argv, numProcesses: 1, hosts: [{name: 'localhost'}], runId: ctx.runId,
    settings: {extraArgs: [], oversubscribe: false, allowRunAsRoot: 'auto', envAllowList: []},
  })
  const logs = outputLogs(ctx)
  ctx.progress.stage(ctx.command === 'datagen' ? `Loading ${options.collection} into Milvus` : `Querying ${options.collection}`)
  const outcome = await runLaunch(command, {
    cwd: leaf, signal: ctx.signal, stdoutFile: join(leaf, logs.stdout), stderrFile: join(leaf, logs.stderr),
    onLine: line => {
      const batch = /Inserted batch (\d+)\/(\d+)/.exec(line)
      if (batch) ctx.progress.update({done: Number(batch[1]), total: Number(batch[2]), unit: 'items'})
      else ctx.log.debug(line)
    },
  })
  ctx.progress.done()
  const executed = {argv, env: command.env, cwd: leaf, exitCode: outcome.exitCode, signal: outcome.signal, startedAt: outcome.startedAt, endedAt: outcome.endedAt}
  const wallSeconds = (Date.parse(outcome.endedAt) - Date.parse(outcome.startedAt)) / 1000
  const artifacts = [logs.stdout, logs.stderr]
  const base = {status: outcome.status, reason: outcome.reason, commands: [executed], artifacts}
  if (ctx.command === 'datagen') {
    const log = parseLoadLog(await readIfPresent(join(leaf, logs.stderr)) ?? '')
    const metrics: Record<string, MetricValue> = {load_seconds: wallSeconds, inserted_vectors: log.insertedVectors, num_vectors: options.numVectors, dimension: options.dimension}
    if (log.flushSeconds !== undefined) metrics.flush_seconds = log.flushSeconds
    if (log.insertSeconds > 0) metrics.vectors_per_second = log.insertedVectors / log.insertSeconds
    await writeJsonAtomic(join(leaf, 'summary.json'), {engine: 'vdbbench', collection: options.collection, index_type: options.indexType, metric_type: options.metricType, ...metrics})
    return {...base, metrics, artifacts: [...artifacts, 'summary.json'], extra: {vectordb: {loadLog: log}}}
  }
  return {...base, ...await collectRun(leaf, logs.stdout, outcome.status)}
}

/** Read the query run's outputs; what is missing is said, never filled with zeros. */
async function collectRun(leaf: string, stdoutLog: string, status: EngineResult['status']): Promise<Partial<EngineResult>> {
  const {stats, verdict, result, artifacts} = await readRunOutputs(leaf, stdoutLog)
  const metrics: Record<string, MetricValue> = stats ? statisticsMetrics(stats) : {}
  if (verdict) {
    const complete = groundTruthComplete(verdict)
    if (complete !== undefined) metrics.ground_truth_complete = complete
    metrics.result_valid = verdict.valid
  }
  if (stats) {
    await writeJsonAtomic(join(leaf, 'summary.json'), summaryOf(stats))
    artifacts.push('summary.json')
  }
  const problem = !stats && status === 'COMPLETED' ? {status: 'FAILED' as const, reason: 'vdbbench ended without statistics.json or a statistics line on stdout'} : {}
  return {metrics, artifacts: [...new Set([stdoutLog, ...artifacts])], extra: {vectordb: {result, verdict}}, ...problem}
}

/**
 * The v3.0 VectorDB benchmark scripts (vdbbench, engines.md §4): load-vdb for
 * datagen, vdbbench for the timed run. Python, installed by the user; mlps
 * checks them and Milvus, runs them, and parses what they write.
 */
export const vdbbenchEngine: EngineDefinition = {
  name: 'vdbbench',
  description: 'the v3.0 VectorDB benchmark scripts (load-vdb, vdbbench) against a Milvus server; installed by the user',
  supports: {vectordb: ['datagen', 'run']},
  closedEligible: true,
  optionsSchema: VdbbenchOptionsSchema,
  plan: ctx => plan(vectordbRun(ctx)),
  execute: ctx => execute(vectordbRun(ctx)),
}


import {readdir, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {filesystemError} from '../command/error-report.js'
import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {EnginePlan} from '../registry/definitions.js'
import type {Registry} from '../registry/registry.js'
import {writeJsonAtomic} from '../results/atomic-write.js'
import {redactSecrets} from '../util/redact-secrets.js'
import {commandDir, createRunLeaf, type LeafLocation, timestampName} from '../results/run-leaf.js'
import {createRefusedLeaf, firstMissingFolder, moveLeafToRefused} from '../results/refused-run.js'
import {RUN_RECORD_FILE, type RunRecord} from '../results/run-record.js'
import {treeNames} from '../results/tree-identity.js'
import type {Finding} from '../verify/finding.js'
import type {Verdict} from './lifecycle.js'
import type {Executor, RunContext} from './run-context.js'

export type {Executor} from './run-context.js'

export interface LifecycleOutcome {
  record: RunRecord
  leaf?: string
  plan?: EnginePlan
  exitCode: ExitCode
  /** the run was refused before its work started; its record is under `.mlps/refused/`, outside the counted tree */
  refused?: true
}

function blockingCode(findings: readonly Finding[]): ExitCode {
  return findings.some(f => f.severity === 'error' && f.kind === 'environment') ? ExitCode.EnvironmentNotReady : ExitCode.BadInput
}

function interruptedCode(signal: AbortSignal): ExitCode {
  return signal.reason === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted
}

function renderFindings(findings: readonly Finding[]): string {
  return findings.filter(f => f.severity === 'error').map(f => `  [${f.ruleId}] ${f.message}${f.fix ? `\n    fix: ${f.fix}` : ''}`).join('\n')
}

/**
 * Drive one benchmark invocation through preValidate → setup → run →
 * collect → verify. Whatever happens after preValidate (failure, SIGINT),
 * the run record is written with an honest status before this returns.
 * `execute` is the work of the run phase (the engine's, or the command's own);
 * it travels on the context to the core's engine tap.
 */
export async function runLifecycle(registry: Registry, ctx: RunContext, execute: Executor): Promise<LifecycleOutcome> {
  ctx.execute = execute
  const {lifecycle} = registry
  const phases = ctx.record.timings.phases
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now()
    try {
      return await work()
    } finally {
      phases[phase] = (performance.now() - start) / 1000
    }
  }

  await timed('preValidate', async () => {
    try {
      await lifecycle.preValidate.promise(ctx)
    } catch (error) {
      ctx.addFinding(asFinding(error, 'mlps.preValidate'))
    }
  })
  if (ctx.dryRun) {
    // a plan is wanted precisely when the environment is not ready yet; its problems travel with it
    const plan = ctx.engine ? await ctx.engine.plan(ctx) : undefined
    ctx.record.findings = ctx.findings.map(f => ({evidence: [], ...f}))
    return {record: ctx.record, plan, exitCode: ExitCode.Ok}
  }
  const blocking = ctx.findings.filter(f => f.severity === 'error')
  if (blocking.length > 0) {
    const message = `${blocking.length} problem${blocking.length > 1 ? 's' : ''} found before starting:\n${renderFindings(blocking)}`
    ctx.record.status = 'FAILED'
    ctx.record.statusReason = `preflight: ${blocking.map(f => f.message).join('; ')}`
    ctx.progress.log(message)
    ctx.leaf = await createRefusedLeaf(leafLocation(ctx), new Date(ctx.record.timings.startedAt))
    return {...await finish(ctx, {category: 'INVALID', findings: ctx.findings}, blockingCode(blocking)), refused: true}
  }

  let exitCode: ExitCode = ExitCode.Ok
  let setupDone = false
  const treeFolderMade = await firstMissingFolder(leafLocation(ctx))
  try {
    ctx.record.status = 'RUNNING'
    await timed('setup', async () => {
      ctx.leaf = await createLeafFor(ctx)
      await writeRunRecord(ctx)
      await lifecycle.setup.promise(ctx)
    })
    // a signal during setup must not be lost: an engine listening for 'abort' would never hear one that already fired
    if (ctx.signal.aborted) throw new Error('stopped before the engine started')
    setupDone = true
    await timed('run', () => lifecycle.run.promise(ctx))
    applyEngineResult(ctx)
  } catch (error) {
    if (ctx.signal.aborted) {
      ctx.record.status = 'INTERRUPTED'
      ctx.record.statusReason = `stopped by ${String(ctx.signal.reason ?? 'signal')}`
    } else {
      ctx.record.status = 'FAILED'
      ctx.record.statusReason = error instanceof MlpsError ? error.render() : (error as Error).message
      // bad input met by a started engine is that run's failure; met in setup, it refused the run as preflight would
      const refusal = !setupDone && error instanceof MlpsError
      exitCode = error instanceof MlpsError && (refusal || error.exitCode !== ExitCode.BadInput) ? error.exitCode : ExitCode.RunFailed
    }
  }
  try {
    await timed('collect', () => lifecycle.collect.promise(ctx))
  } catch (error) {
    ctx.addFinding(asFinding(error, 'mlps.collect'))
  }
  if (ctx.record.status === 'INTERRUPTED') exitCode = interruptedCode(ctx.signal)
  else if (ctx.record.status === 'FAILED' && exitCode === ExitCode.Ok) exitCode = ExitCode.RunFailed
  let verdict: Verdict = {category: 'UNVERIFIED', findings: [...ctx.findings]}
  try {
    verdict = await timed('verify', () => lifecycle.verify.promise(verdict, ctx))
  } catch (error) {
    verdict = {category: 'UNVERIFIED', findings: [...verdict.findings, asFinding(error, 'mlps.verify')]}
  }
  // a setup that failed means the benchmark never started: its leaf leaves the counted tree, as a preflight refusal's never enters it
  if (!setupDone && ctx.record.status === 'FAILED') {
    const startedAt = new Date(ctx.record.timings.startedAt)
    ctx.leaf = ctx.leaf ? await moveLeafToRefused(ctx.leaf, leafLocation(ctx), startedAt, treeFolderMade) : await createRefusedLeaf(leafLocation(ctx), startedAt)
    return {...await finish(ctx, verdict, exitCode), refused: true}
  }
  return finish(ctx, verdict, exitCode)
}

function applyEngineResult(ctx: RunContext): void {
  const result = ctx.engineResult
  if (!result) {
    ctx.record.status = 'FAILED'
    ctx.record.statusReason = 'no engine ran'
    return
  }
  ctx.record.status = result.status
  if (result.reason) ctx.record.statusReason = result.reason
  Object.assign(ctx.record.metrics, result.metrics ?? {})
  ctx.record.artifacts.push(...(result.artifacts ?? []))
  ctx.record.commands.push(...(result.commands ?? []).map(command => ({env: {}, ...command})))
  if (ctx.record.engine && result.version) ctx.record.engine.version = result.version
  Object.assign(ctx.record.extra, result.extra ?? {})
}

async function finish(ctx: RunContext, verdict: Verdict, exitCode: ExitCode): Promise<LifecycleOutcome> {
  const ended = new Date()
  ctx.record.timings.endedAt = ended.toISOString()
  ctx.record.timings.durationSeconds = (ended.getTime() - new Date(ctx.record.timings.startedAt).getTime()) / 1000
  ctx.record.findings = verdict.findings.map(f => ({evidence: [], ...f}))
  ctx.record.category = verdict.category
  ctx.leaf ??= await createLeafFor(ctx)
  try {
    await writeRunRecord(ctx)
  } catch (error) {
    throw await recordNotWritten(ctx.leaf, error)
  }
  return {record: ctx.record, leaf: ctx.leaf, exitCode}
}

/**
 * The final record could not be written (a full disk, a quota): a leaf that holds nothing else is
 * removed, so no half-made leaf stays behind; one with engine outputs keeps them and its record from the start.
 */
async function recordNotWritten(leaf: string, error: unknown): Promise<unknown> {
  const known = filesystemError(error)
  if (!known) return error
  const entries = await readdir(leaf).catch(() => [] as string[])
  const removable = entries.every(name => name === RUN_RECORD_FILE || name.startsWith(`.${RUN_RECORD_FILE}.`))
  if (removable) await rm(leaf, {recursive: true, force: true})
  const outcome = removable ? `the run leaf ${leaf} was removed` : `the run leaf ${leaf} keeps its outputs and the record written when it started`
  return new MlpsError(`${known.message}: the run record could not be written, so ${outcome}`, {exitCode: known.exitCode, where: known.where, fix: known.fix, cause: error})
}

/** metadata.json with secrets redacted; the engine keeps the values in ctx.options. */
async function writeRunRecord(ctx: RunContext): Promise<void> {
  await writeJsonAtomic(`${ctx.leaf}/${RUN_RECORD_FILE}`, redactSecrets(ctx.record))
}

/** Where this run's leaves live in the results tree. */
export function leafLocation(ctx: RunContext): LeafLocation {
  return {
    resultsDir: ctx.config.resultsDir, division: ctx.division, ...treeNames(ctx.config),
    benchmarkFolder: ctx.benchmarkFolder, modelPath: ctx.modelPath, command: ctx.commandFolder,
  }
}

/** The run's leaf once setup made it; before that (a dry run), the one a run started now would get. */
export function plannedLeaf(ctx: RunContext): string {
  return ctx.leaf ?? join(commandDir(leafLocation(ctx)), timestampName(new Date(ctx.record.timings.startedAt)))
}

function createLeafFor(ctx: RunContext): Promise<string> {
  return createRunLeaf(leafLocation(ctx), new Date(ctx.record.timings.startedAt))
}

function asFinding(error: unknown, ruleId: string): Finding {
  if (error instanceof MlpsError) {
    return {ruleId, severity: 'error', message: error.where ? `${error.where}: ${error.message}` : error.message, fix: error.fix,
      kind: error.exitCode === ExitCode.EnvironmentNotReady ? 'environment' : 'input'}
  }
  return {ruleId, severity: 'error', message: (error as Error)?.message ?? String(error), kind: 'run'}
}

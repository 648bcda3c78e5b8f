import {mkdir, readFile, stat} from 'node:fs/promises'
import {isAbsolute, join, relative} from 'node:path'
import {readDlioLog, readHydraOverrideList, summaryMetrics} from '@mlps/result-formats'
import type {DlioRunOptions} from '@mlps/run-options'
import {type EngineResult, MlpsError, ExitCode, type RunContext} from 'mlps'
import {ioBytesOfRun, redactText, runLaunch, writeFileAtomic} from 'mlps/unstable'
import {checkDlioArtifacts, describeMissing} from './dlio-artifacts.js'
import {writeDlioConfigDir} from './dlio-config-dir.js'
import {lastEngineErrorIn} from './dlio-engine-error.js'
import {removeUnusedCheckpointFolder} from './dlio-leaf-cleanup.js'
import {dlioProgress} from './dlio-progress.js'
import {checkDlioImports} from './dlio-binary.js'
import {type PreparedDlio, prepareDlio} from './dlio-prepare.js'

/**
 * The reference makes train/, valid/ and test/ under a local data folder before DLIO starts
 * (mlpstorage-spec.md §3.4, add_datadir_param); object storage gets none.
 */
async function makeDataFolders(ctx: RunContext<DlioRunOptions>): Promise<void> {
  const folder = ctx.options.workload.dataset?.data_folder
  const storageType = ctx.parameters.toolInjected['storage.storage_type'] ?? ctx.parameters.userOverrides['storage.storage_type']
  if (ctx.benchmark !== 'training' || !folder || !isAbsolute(folder) || (storageType !== undefined && storageType !== 'local')) return
  try {
    for (const sub of ['train', 'valid', 'test']) await mkdir(join(folder, sub), {recursive: true})
  } catch (error) {
    throw new MlpsError(`cannot create the data folders under ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      where: '--data-dir', exitCode: ExitCode.EnvironmentNotReady, fix: 'choose a data directory mlps can write to',
    })
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch {
    return 0
  }
}

/** DLIO's version for the record, as its Python reports it; whether it imports at all is the dlio.python check's to say. */
async function dlioVersion(prepared: PreparedDlio): Promise<string | undefined> {
  if (!prepared.binary.path) return undefined
  const check = await checkDlioImports(prepared.binary.path, prepared.options.python)
  return check.ok === true ? check.version : undefined
}

export async function executeDlio(ctx: RunContext<DlioRunOptions>): Promise<EngineResult> {
  const prepared = await prepareDlio(ctx)
  const {leaf, launch, options} = prepared
  const written = prepared.writesConfigDir ? await writeDlioConfigDir(prepared.configDir, ctx.options.workloadName, ctx.options.baseWorkload) : []
  await makeDataFolders(ctx)

  const prefix = `${ctx.benchmark}_${ctx.command}`
  const stdoutLog = join(leaf, `${prefix}.stdout.log`)
  const stderrLog = join(leaf, `${prefix}.stderr.log`)
  const placement = launch.placement.hosts.filter(host => host.ranks > 0).map(host => `${host.name}:${host.ranks}`).join(', ')
  ctx.progress.stage(`DLIO ${ctx.options.workloadName}: ${launch.placement.numProcesses} rank${launch.placement.numProcesses > 1 ? 's' : ''} on ${placement} (${launch.launcher.kind})`)
  ctx.log.debug(`running: ${JSON.stringify(launch.argv)}`)
  const follow = dlioProgress(ctx.progress, ctx.options.workload)
  const logLevel = launch.env.DLIO_LOG_LEVEL ?? process.env.DLIO_LOG_LEVEL
  if (ctx.command === 'datagen' && logLevel?.toLowerCase() !== 'info' && logLevel?.toLowerCase() !== 'debug') {
    ctx.progress.log('DLIO reports datagen progress only at DLIO_LOG_LEVEL=info (set engines.dlio.env.DLIO_LOG_LEVEL); the bar completes when DLIO ends')
  }
  const dlioLog = join(leaf, 'dlio.log')
  const outcome = await runLaunch(launch, {
    cwd: leaf,
    signal: ctx.signal,
    stdoutFile: stdoutLog,
    stderrFile: stderrLog,
    terminateGraceMs: options.terminateGraceSeconds * 1000,
    onLine: line => {
      follow(line)
      ctx.progress.log(line)
    },
    watchdog: options.watchdogMinutes === undefined ? undefined : {
      silentMs: options.watchdogMinutes * 60_000,
      action: options.watchdogAction,
      activity: async () => `${await fileSize(dlioLog)}:${ioBytesOfRun(ctx.runId)}`,
      onSilent: silentMs => {
        const minutes = (silentMs / 60_000).toFixed(1)
        ctx.progress.log(`watchdog: DLIO has printed nothing and done no I/O for ${minutes} min`)
        ctx.addFinding({ruleId: 'dlio.watchdog', severity: 'warn', message: `DLIO printed nothing and did no I/O for ${minutes} minutes`, fix: 'check dlio.log and the ranks (a hang at a barrier often means one host cannot reach the data)'})
      },
    },
  })
  await removeUnusedCheckpointFolder(leaf, ctx.options.workload)

  const result: EngineResult = {
    status: outcome.status,
    reason: outcome.reason,
    commands: [{argv: launch.argv, env: prepared.recordedEnv, cwd: leaf, exitCode: outcome.exitCode, signal: outcome.signal, startedAt: outcome.startedAt, endedAt: outcome.endedAt}],
    version: await dlioVersion(prepared),
    artifacts: [...written, stdoutLog, stderrLog].map(file => relative(leaf, file)),
    extra: {dlio: {
      launcher: launch.launcher, placement: launch.placement.hosts, configDir: prepared.configDir, bin: prepared.dlioArgv[0],
      forwardedEnv: launch.forwarded, strays: outcome.strays, watchdogFired: outcome.watchdogFired,
    }},
  }
  if (outcome.strays > 0) {
    ctx.addFinding({ruleId: 'dlio.strays', severity: 'warn', message: `${outcome.strays} process${outcome.strays > 1 ? 'es' : ''} of the run outlived the launcher and ${outcome.strays > 1 ? 'were' : 'was'} killed`})
  }
  if (outcome.status === 'INTERRUPTED') {
    ctx.progress.done()
    return result
  }

  const {workflow} = ctx.options.workload
  const check = await checkDlioArtifacts(leaf, {numProcesses: launch.placement.numProcesses, expectsResults: workflow.train || workflow.checkpoint})
  const found = check.files
  result.artifacts!.push(...[found.summary, found.dlioLog, ...Object.values(found.config), ...found.perEpochStats.map(e => e.file), ...found.outputs.map(e => e.file)]
    .filter((file): file is string => file !== undefined).map(file => relative(leaf, file)))
  if (check.summary) result.metrics = summaryMetrics(check.summary)
  if (result.status === 'FAILED') {
    // DLIO's own error first: what a user needs to fix, before mpirun's exit code and the missing outputs
    const engineError = await lastEngineErrorIn([stderrLog, stdoutLog])
    const logError = found.dlioLog ? (await readDlioLog(found.dlioLog)).errors.at(-1) : undefined
    result.reason = [engineError && `DLIO: ${engineError}`, result.reason, logError && logError !== engineError && `dlio.log: ${logError}`].filter(Boolean).join('; ')
  }
  if (check.missing.length > 0) {
    const missing = `missing DLIO outputs: ${describeMissing(check.missing)}`
    result.reason = result.status === 'FAILED' ? `${result.reason}; ${missing}` : missing
    result.status = 'FAILED'
    ;(result.extra!.dlio as Record<string, unknown>).missing = check.missing
  }
  follow.finish(result.status === 'COMPLETED')
  ctx.progress.done()
  if (found.config.overrides) await compareOverrides(ctx, found.config.overrides, prepared.dlioArgv)
  await redactHydraCopies(Object.values(found.config).map(file => (isAbsolute(file) ? file : join(ctx.leaf!, file))))
  return result
}

/**
 * DLIO got its secrets on the command line (storage_options keys, a URI password) and hydra wrote
 * them into its copies in the leaf; once compared, the leaf keeps them redacted like every mlps file.
 */
async function redactHydraCopies(files: readonly string[]): Promise<void> {
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => undefined)
    if (text === undefined) continue
    const redacted = redactText(text)
    if (redacted !== text) await writeFileAtomic(file, redacted)
  }
}

/** DLIO must have run what mlps asked: hydra's overrides.yaml lists the task overrides it received. */
async function compareOverrides(ctx: RunContext, file: string, argv: readonly string[]): Promise<void> {
  try {
    const recorded = (await readHydraOverrideList(file)).overrides.map(override => override.raw)
    const asked = argv.filter(arg => arg.startsWith('workload=') || arg.startsWith('++workload.'))
    if (JSON.stringify(recorded) !== JSON.stringify(asked)) {
      ctx.addFinding({ruleId: 'dlio.overrides', severity: 'warn', message: `dlio_config/overrides.yaml does not list the overrides mlps passed (recorded ${recorded.length}, passed ${asked.length})`, evidence: [{file, value: recorded}]})
    }
  } catch (error) {
    ctx.addFinding({ruleId: 'dlio.overrides', severity: 'warn', message: `dlio_config/overrides.yaml cannot be read: ${(error as Error).message}`})
  }
}

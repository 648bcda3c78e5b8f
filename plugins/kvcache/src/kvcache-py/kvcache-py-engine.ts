import {basename, join} from 'node:path'
import {type KvcacheRunOptions, KvcacheRunOptionsSchema, requireRunOptions} from '@mlps/run-options'
import {type EngineDefinition, type EnginePlan, type EngineResult, type ExecutedCommand, type RunContext} from 'mlps'
import {plannedLeaf, timestampName} from 'mlps/unstable'
import {type KvCachePyOptions, KvCachePyOptionsSchema} from '../options.js'
import {passFolder, passLogPrefix} from '../run-plan.js'
import {abortableSleep} from '../sleep.js'
import {configBeside, locateScript} from './locate-script.js'
import {kvcachePythonOf} from './kvcache-python.js'
import {needsLauncher, rankLaunch, runRanksWithLauncher} from './mpi-launch.js'
import {rankHosts, rankInvocations} from './rank-argv.js'
import {runRanksLocally} from './run-ranks.js'

async function setting(ctx: RunContext<KvcacheRunOptions>): Promise<{plan: KvcacheRunOptions; python: string; script: string; config: string}> {
  const plan = ctx.options
  const options = ctx.engineOptions as KvCachePyOptions
  const {script} = await locateScript(plan.kvcacheScript, options.script)
  return {plan, python: kvcachePythonOf(ctx), script, config: configBeside(script)}
}


async function planKvcachePy(ctx: RunContext<KvcacheRunOptions>): Promise<EnginePlan> {
  const {plan, python, script, config} = await setting(ctx)
  const leaf = ctx.leaf ?? plannedLeaf(ctx)
  const hosts = rankHosts(ctx.hosts.map(host => host.name), plan.npernode)
  const timestamp = timestampName(new Date(ctx.record.timings.startedAt))
  const passes = plan.passes.map(pass => ({
    option: pass.option, optionName: pass.optionName, trial: pass.trial, folder: passFolder(pass),
    ranks: rankInvocations(pass, {python, script, config, leaf, cacheRoot: plan.cacheDir ?? join(leaf, 'kvcache_cache'), seedBase: plan.seedBase, timestamp, rankHosts: hosts})
      .map(({rank, host, argv}) => ({rank, host, argv})),
  }))
  let launcher = 'local (one process per rank, started directly)'
  let launchArgv: string[] | undefined
  if (needsLauncher(ctx)) {
    try {
      const launch = await rankLaunch(ctx, python, join(leaf, '<option_O/trial_T>', 'rank_argv.json'), plan.ranks, plan.npernode)
      launcher = launch.launcher.implementation ?? launch.launcher.kind
      launchArgv = launch.argv
    } catch (error) {
      launcher = `unavailable: ${(error as Error).message}`
    }
  }
  const options = [...new Set(plan.passes.map(pass => pass.option))]
  const seconds = plan.passes.reduce((total, pass) => total + pass.params.durationSeconds + plan.passStartDelaySeconds + plan.passEndDelaySeconds, 0) +
    Math.max(0, options.length - 1) * plan.interOptionDelaySeconds
  return {
    engine: 'kvcache-py',
    summary: `${plan.passes.length} passes (option${options.length === 1 ? '' : 's'} ${options.join(', ')} × ${plan.trialsPerOption} trial${plan.trialsPerOption === 1 ? '' : 's'}) of ${plan.ranks} kv-cache.py rank${plan.ranks === 1 ? '' : 's'}, ${plan.passStartDelaySeconds} s before and ${plan.passEndDelaySeconds} s after each pass, ${plan.interOptionDelaySeconds} s between options: at least ${Math.round(seconds / 60)} min`,
    launcher,
    argv: launchArgv ?? passes[0]?.ranks[0]?.argv,
    details: {script, config, python, leaf, ...(launchArgv ? {launchArgv, rankTable: 'each pass folder\'s rank_argv.json holds the ranks\' argv below'} : {}), passes},
  }
}

/** The official wrapper's quiet time around each pass (mlperf_wrapper.py --start-delay / --end-delay). */
async function passDelay(ctx: RunContext, seconds: number, when: 'before' | 'after'): Promise<void> {
  if (seconds <= 0 || ctx.signal.aborted) return
  ctx.progress.stage(`waiting ${seconds} s ${when} the pass, as mlperf_wrapper.py does`)
  await abortableSleep(seconds, ctx.signal)
}

/**
 * Run the plan's passes in order, every rank of a pass at once; sleep between options; record each
 * rank's argv and exit. A rank that fails marks its trial failed (the others still run, as the
 * reference's `orte_abort_on_non_zero_status 0` lets them); whether every rank left its results is
 * judged from the files by the kvcache plugin's collect step, never from exit codes alone.
 */
async function executeKvcachePy(ctx: RunContext<KvcacheRunOptions>): Promise<EngineResult> {
  const {plan, python, script, config} = await setting(ctx)
  const leaf = ctx.leaf!
  const cacheRoot = plan.cacheDir ?? join(leaf, 'kvcache_cache')
  const hosts = rankHosts(ctx.hosts.map(host => host.name), plan.npernode)
  const commands: ExecutedCommand[] = []
  const trialFailures: Record<string, string> = {}
  let previousOption: number | undefined
  for (const [index, pass] of plan.passes.entries()) {
    if (previousOption !== undefined && pass.option !== previousOption) {
      ctx.progress.stage(`waiting ${plan.interOptionDelaySeconds} s between options (R 6.3.2.1)`)
      await abortableSleep(plan.interOptionDelaySeconds, ctx.signal)
    }
    if (ctx.signal.aborted) break
    previousOption = pass.option
    ctx.progress.stage(`option ${pass.option} (${pass.optionName}) trial ${pass.trial}: pass ${index + 1}/${plan.passes.length}, ${plan.ranks} rank${plan.ranks === 1 ? '' : 's'}, ${pass.params.durationSeconds} s`)
    await passDelay(ctx, plan.passStartDelaySeconds, 'before')
    if (ctx.signal.aborted) break
    const started = new Date()
    const ranks = rankInvocations(pass, {python, script, config, leaf, cacheRoot, seedBase: plan.seedBase, timestamp: timestampName(started), rankHosts: hosts})
    const logPrefix = passLogPrefix(pass, basename(leaf))
    if (needsLauncher(ctx)) {
      const launched = await runRanksWithLauncher(ctx, pass, python, ranks, logPrefix)
      commands.push({argv: launched.argv, env: {}, startedAt: launched.startedAt, endedAt: launched.endedAt, exitCode: launched.exitCode, signal: launched.signal})
      if (launched.failure) trialFailures[passFolder(pass)] = launched.failure
      await passDelay(ctx, plan.passEndDelaySeconds, 'after')
      continue
    }
    const exits = await runRanksLocally(ranks, ctx.signal, ctx.runId, {stdout: join(leaf, `${logPrefix}.stdout.log`), stderr: join(leaf, `${logPrefix}.stderr.log`)})
    const ended = new Date()
    for (const exit of exits) {
      commands.push({argv: ranks[exit.rank].argv, env: {PYTHONUNBUFFERED: '1'}, startedAt: started.toISOString(), endedAt: ended.toISOString(), exitCode: exit.exitCode ?? null, signal: exit.signal ?? null})
    }
    const failed = exits.filter(exit => exit.failure)
    if (failed.length > 0) trialFailures[passFolder(pass)] = failed.map(exit => `rank ${exit.rank} ${exit.failure} (${exit.stderrLog})`).join('; ')
    await passDelay(ctx, plan.passEndDelaySeconds, 'after')
  }
  ctx.progress.done()
  const extra = {kvcacheTrialFailures: trialFailures}
  if (ctx.signal.aborted) return {status: 'INTERRUPTED', reason: `stopped by ${String(ctx.signal.reason ?? 'signal')}`, commands, extra}
  const failures = Object.entries(trialFailures)
  if (failures.length > 0) return {status: 'FAILED', reason: `${failures.length} pass${failures.length === 1 ? '' : 'es'} had failing ranks: ${failures.map(([folder, why]) => `${folder}: ${why}`).join(' | ')}`, commands, extra}
  return {status: 'COMPLETED', commands, extra}
}

const kvcacheRun = (ctx: RunContext): RunContext<KvcacheRunOptions> => requireRunOptions(ctx, KvcacheRunOptionsSchema, 'the kvcache-py engine')

/** The official engine: the user's kv-cache.py, one process per rank, driven exactly as mlpstorage v3.0 drives it. */
export const kvcachePyEngine: EngineDefinition = {
  name: 'kvcache-py',
  description: "MLPerf Storage v3.0 kv-cache.py (the user's copy), one process per rank with per-rank seed, output and cache dirs",
  supports: {kvcache: ['run']},
  closedEligible: true,
  optionsSchema: KvCachePyOptionsSchema,
  plan: ctx => planKvcachePy(kvcacheRun(ctx)),
  execute: ctx => executeKvcachePy(kvcacheRun(ctx)),
}

import {randomFillSync} from 'node:crypto'
import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {type EngineResult, type RunContext} from 'mlps'
import {timestampName, writeFileAtomic, writeJsonAtomic} from 'mlps/unstable'
import type {KvcacheRunOptions, KvPass} from '@mlps/run-options'
import {rankResultsDocument, samplesJsonLines} from './rank-results.js'
import {simulateRank} from './rank-simulation.js'
import {StorageTier} from './storage-tier.js'
import {sleepUntilAbort} from './sleep-until-abort.js'

/** One pass: every rank at once on this host; each writes its results and raw samples in its rank folder. */
async function runPass(ctx: RunContext, plan: KvcacheRunOptions, pass: KvPass, noise: Buffer, cacheRoot: string): Promise<string[]> {
  const timestamp = timestampName(new Date())
  const files: string[] = []
  let completed = 0
  const started = performance.now()
  const progress = setInterval(() => ctx.progress.update({
    done: completed, unit: 'items', fields: {requests: String(completed)},
    figures: [{value: completed / ((performance.now() - started) / 1000), unit: 'requests/s'}],
  }), 1000)
  try {
    await Promise.all(Array.from({length: plan.ranks}, async (_, rank) => {
      const folder = `option_${pass.option}/trial_${pass.trial}/rank_${rank}`
      const outputDir = join(ctx.leaf!, folder)
      await mkdir(outputDir, {recursive: true})
      const storage = await StorageTier.create(join(cacheRoot, `rank_${rank}`), noise)
      try {
        const seed = plan.seedBase + rank
        const simulation = await simulateRank({
          pass, seed, templates: plan.userTemplates, maxContextTokens: plan.maxContextTokens, storage, noise, signal: ctx.signal,
          onRequest: () => { completed++ },
        })
        const samplesName = `kvcache_samples_${timestamp}.jsonl`
        const resultsName = `kvcache_results_${timestamp}.json`
        await writeFileAtomic(join(outputDir, samplesName), samplesJsonLines(simulation))
        await writeJsonAtomic(join(outputDir, resultsName), rankResultsDocument(simulation, seed, samplesName))
        files.push(`${folder}/${resultsName}`, `${folder}/${samplesName}`)
      } finally {
        await storage.dispose()
      }
    }))
  } finally {
    clearInterval(progress)
  }
  return files
}

/**
 * The plan's passes in order, `interOptionDelaySeconds` between options, as kv-cache.py's runs are
 * sequenced. A pass whose rank fails (e.g. the cache directory fills up) is recorded and the next
 * pass still runs; the kvcache plugin then finds that rank's results missing and fails the run.
 */
export async function runKvPasses(ctx: RunContext, plan: KvcacheRunOptions): Promise<EngineResult> {
  // incompressible bytes for the storage tier, made once (kv-cache.py pre-generates a noise buffer too)
  const noise = randomFillSync(Buffer.allocUnsafe(8 * 2 ** 20))
  const cacheRoot = plan.cacheDir ?? join(ctx.leaf!, 'kvcache_cache')
  const artifacts: string[] = []
  const trialFailures: Record<string, string> = {}
  let previousOption: number | undefined
  for (const [index, pass] of plan.passes.entries()) {
    if (previousOption !== undefined && pass.option !== previousOption) {
      ctx.progress.stage(`waiting ${plan.interOptionDelaySeconds} s between options`)
      await sleepUntilAbort(plan.interOptionDelaySeconds * 1000, ctx.signal)
    }
    if (ctx.signal.aborted) break
    previousOption = pass.option
    ctx.progress.stage(`option ${pass.option} (${pass.optionName}) trial ${pass.trial}: pass ${index + 1}/${plan.passes.length}, ${plan.ranks} rank${plan.ranks === 1 ? '' : 's'} × ${pass.params.numUsers} users, ${pass.params.durationSeconds} s`)
    try {
      artifacts.push(...await runPass(ctx, plan, pass, noise, cacheRoot))
    } catch (error) {
      trialFailures[`option_${pass.option}/trial_${pass.trial}`] = (error as Error).message
    }
  }
  ctx.progress.done()
  const extra = {kvcacheTrialFailures: trialFailures}
  if (ctx.signal.aborted) return {status: 'INTERRUPTED', reason: `stopped by ${String(ctx.signal.reason ?? 'signal')}`, artifacts, extra}
  const failures = Object.entries(trialFailures)
  if (failures.length > 0) return {status: 'FAILED', reason: failures.map(([folder, why]) => `${folder}: ${why}`).join(' | '), artifacts, extra}
  return {status: 'COMPLETED', artifacts, extra}
}

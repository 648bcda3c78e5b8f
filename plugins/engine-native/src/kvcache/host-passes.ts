import {randomFillSync} from 'node:crypto'
import {mkdir} from 'node:fs/promises'
import {join, relative} from 'node:path'
import type {KvcacheRunOptions} from '@mlps/run-options'
import type {EngineResult, RunContext} from 'mlps'
import {timestampName, writeFileAtomic, writeJsonAtomic} from 'mlps/unstable'
import {rankResultsDocument, samplesJsonLines} from './rank-results.js'
import {simulateRank} from './rank-simulation.js'
import {StorageTier} from './storage-tier.js'
import {sleepUntilAbort} from './sleep-until-abort.js'

/** One rank's pass on a host, carried back to the controller whole. */
export interface HostRankPass {
  rank: number
  resultsName?: string
  results?: Record<string, unknown>
  samplesName?: string
  samples?: string
  error?: string
}

export interface HostKvPasses {
  host: string
  /** per pass in plan order, this host's ranks */
  passes: HostRankPass[][]
}

interface HostPassesInput {
  plan: KvcacheRunOptions
  ranks: readonly number[]
  cacheRoot: string
  host: string
  signal: AbortSignal
  meet: (barrier: string) => Promise<void>
  /** every second while a pass runs, and at its end */
  onProgress?: (progress: KvHostProgress) => void
}

/** How far one host's ranks are through the plan's passes. */
export interface KvHostProgress {
  /** 1-based */
  pass: number
  passes: number
  /** requests this host's ranks completed in this pass */
  requests: number
  /** seconds since this pass started */
  seconds: number
}

const KV_PROGRESS_INTERVAL_MS = 1000

/**
 * One host's ranks through every pass of the plan: each pass started and ended together with the
 * other hosts (as kv-cache.py's MPI ranks start a run together), the same inter-option delay on every
 * host, each rank's results and samples kept for the controller to write into the leaf. A rank that
 * fails a pass is recorded and the next pass still runs, as on one host.
 */
export async function kvHostPasses(input: HostPassesInput): Promise<HostKvPasses> {
  const {plan, signal} = input
  const noise = randomFillSync(Buffer.allocUnsafe(8 * 2 ** 20))
  const passes: HostRankPass[][] = []
  let previousOption: number | undefined
  for (const [index, pass] of plan.passes.entries()) {
    if (previousOption !== undefined && pass.option !== previousOption) await sleepUntilAbort(plan.interOptionDelaySeconds * 1000, signal)
    previousOption = pass.option
    await input.meet(`pass ${index + 1} start`)
    const timestamp = timestampName(new Date())
    let requests = 0
    const started = performance.now()
    const report = () => input.onProgress?.({pass: index + 1, passes: plan.passes.length, requests, seconds: (performance.now() - started) / 1000})
    const reporter = setInterval(report, KV_PROGRESS_INTERVAL_MS)
    passes.push(await Promise.all(input.ranks.map(async (rank): Promise<HostRankPass> => {
      const storage = await StorageTier.create(join(input.cacheRoot, `rank_${rank}`), noise)
      try {
        const seed = plan.seedBase + rank
        const simulation = await simulateRank({pass, seed, templates: plan.userTemplates, maxContextTokens: plan.maxContextTokens, storage, noise, signal, onRequest: () => { requests++ }})
        const samplesName = `kvcache_samples_${timestamp}.jsonl`
        return {rank, samplesName, samples: samplesJsonLines(simulation), resultsName: `kvcache_results_${timestamp}.json`, results: rankResultsDocument(simulation, seed, samplesName)}
      } catch (error) {
        if (signal.aborted) throw error
        return {rank, error: `rank ${rank} on ${input.host}: ${(error as Error).message}`}
      } finally {
        await storage.dispose()
      }
    })).finally(() => clearInterval(reporter)))
    report()
    await input.meet(`pass ${index + 1} end`)
  }
  return {host: input.host, passes}
}

/**
 * A KV-cache run whose ranks run on host workers: every rank's results written into its
 * `option_<o>/trial_<t>/rank_<r>/` folder of the leaf, where the kvcache plugin aggregates them as it
 * does kv-cache.py's.
 */
export async function runKvPassesOnHosts(ctx: RunContext, plan: KvcacheRunOptions): Promise<EngineResult> {
  const [{runOnHosts, seatRanks}, {hostsExtra, unfinishedResult}, {kvcacheHostsView}] = await Promise.all([
    import('../hosts/host-run.js'), import('../hosts/host-outcome.js'), import('../hosts/host-progress.js'),
  ])
  const leaf = ctx.leaf!
  const seats = seatRanks(ctx, plan.ranks)
  ctx.progress.stage(`${plan.passes.length} kv-cache passes of ${plan.ranks} ranks over ${seats.length} host${seats.length > 1 ? 's' : ''} (${seats.map(seat => `${seat.host}:${seat.ranks.length}`).join(', ')})`)
  const outcome = await runOnHosts(ctx, {
    seats, label: 'kvcache_run', logDir: leaf, view: kvcacheHostsView,
    task: seat => ({kind: 'kvcache', plan, ranks: [...seat.ranks], cacheRoot: plan.cacheDir ?? join(leaf, 'kvcache_cache')}),
  })
  ctx.progress.done()
  if (outcome.status !== 'COMPLETED') return unfinishedResult(outcome, leaf)
  const artifacts: string[] = []
  const trialFailures: Record<string, string> = {}
  for (const hostPasses of outcome.results as HostKvPasses[]) {
    for (const [index, ranks] of hostPasses.passes.entries()) {
      const pass = plan.passes[index]
      const trial = `option_${pass.option}/trial_${pass.trial}`
      for (const rank of ranks) {
        if (rank.error !== undefined || !rank.results || rank.samples === undefined) {
          trialFailures[trial] = [trialFailures[trial], rank.error ?? `rank ${rank.rank}: no results`].filter(Boolean).join('; ')
          continue
        }
        const folder = join(leaf, trial, `rank_${rank.rank}`)
        await mkdir(folder, {recursive: true})
        await writeFileAtomic(join(folder, rank.samplesName!), rank.samples)
        await writeJsonAtomic(join(folder, rank.resultsName!), {...rank.results, hostname: hostPasses.host})
        artifacts.push(relative(leaf, join(folder, rank.resultsName!)), relative(leaf, join(folder, rank.samplesName!)))
      }
    }
  }
  artifacts.push(...outcome.logs.map(file => relative(leaf, file)))
  const extra = {kvcacheTrialFailures: trialFailures, native: {hosts: hostsExtra(outcome)}}
  const failures = Object.entries(trialFailures)
  if (failures.length > 0) return {status: 'FAILED', reason: failures.map(([folder, why]) => `${folder}: ${why}`).join(' | '), artifacts, commands: outcome.commands, extra}
  return {status: 'COMPLETED', artifacts, commands: outcome.commands, extra}
}

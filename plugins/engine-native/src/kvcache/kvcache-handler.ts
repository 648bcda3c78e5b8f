import {access, constants} from 'node:fs/promises'
import {type KvcacheRunOptions, KvcacheRunOptionsSchema} from '@mlps/run-options'
import {type EnginePlan, nearestExisting, type RunContext} from 'mlps'
import type {BenchmarkHandler} from '../benchmark-handler.js'

async function preflight(ctx: RunContext<KvcacheRunOptions>): Promise<void> {
  const plan = ctx.options
  const withGpu = [...new Set(plan.passes.filter(pass => pass.params.gpuMemGb > 0).map(pass => pass.option))]
  if (withGpu.length > 0) {
    ctx.addFinding({ruleId: 'native.kvcache.gpuTier', severity: 'error', kind: 'input', message: `option${withGpu.length === 1 ? '' : 's'} ${withGpu.join(', ')} ask${withGpu.length === 1 ? 's' : ''} for a GPU tier, which the native engine does not emulate`, fix: 'use --gpu-mem-gb 0 (every CLOSED option does), or the kvcache-py engine'})
  }
  if (plan.cacheDir) {
    const existing = await nearestExisting(plan.cacheDir)
    try {
      await access(existing, constants.W_OK)
    } catch {
      ctx.addFinding({ruleId: 'native.kvcache.cacheDir', severity: 'error', kind: 'environment', message: `--cache-dir ${plan.cacheDir}: ${existing} is not writable`, fix: 'give a directory you can write on the storage under test'})
    }
  }
}

async function plan(ctx: RunContext<KvcacheRunOptions>): Promise<EnginePlan> {
  const kv = ctx.options
  const options = [...new Set(kv.passes.map(pass => pass.option))]
  const seconds = kv.passes.reduce((total, pass) => total + pass.params.durationSeconds, 0) + Math.max(0, options.length - 1) * kv.interOptionDelaySeconds
  return {
    engine: 'native',
    summary: `${kv.passes.length} emulated kv-cache passes (options ${options.join(', ')}) of ${kv.ranks} rank${kv.ranks === 1 ? '' : 's'} on this host, RAM and storage tiers, ${kv.interOptionDelaySeconds} s between options: about ${Math.ceil(seconds)} s`,
    details: {
      cacheDir: kv.cacheDir ?? '<run leaf>/kvcache_cache',
      passes: kv.passes.map(pass => ({option: pass.option, trial: pass.trial, model: pass.params.model, users: pass.params.numUsers, seconds: pass.params.durationSeconds, cpuMemGb: pass.params.cpuMemGb, kvBytesPerToken: pass.kvBytesPerToken})),
    },
  }
}

/** The KV-cache offload workload on this host (kvcache `run`): RAM and storage tiers, one file per block. */
export const kvcacheHandler: BenchmarkHandler<KvcacheRunOptions> = {
  commands: ['run'],
  runOptionsSchema: KvcacheRunOptionsSchema,
  preflight,
  plan,
  execute: async ctx => {
    const {runKvPasses} = await import('./run-passes.js')
    return runKvPasses(ctx, ctx.options)
  },
}

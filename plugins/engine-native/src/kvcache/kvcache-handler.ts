import {access, constants} from 'node:fs/promises'
import {type KvcacheRunOptions, KvcacheRunOptionsSchema} from '@mlps/run-options'
import {type CheckResult, type EnginePlan, type PreflightCheck, type RunContext} from 'mlps'
import {formatBytes, nearestExisting} from 'mlps/unstable'
import type {BenchmarkHandler} from '../benchmark-handler.js'
import {nativeRunCheck} from '../native-check.js'
import {runsOnHosts} from '../hosts/runs-on-hosts.js'
import {availableMemoryBytes, kvMemoryNeed} from './memory-need.js'

const kvcacheCheck = (id: string, title: string, run: (ctx: RunContext<KvcacheRunOptions>) => Promise<CheckResult>): PreflightCheck =>
  nativeRunCheck({id, title, benchmark: 'kvcache', commands: ['run'], schema: KvcacheRunOptionsSchema, run})

const checks: PreflightCheck[] = [
  kvcacheCheck('native.kvcache.gpuTier', 'no pass asks for a GPU tier, which the native engine does not emulate', async ctx => {
    const plan = ctx.options
    const withGpu = [...new Set(plan.passes.filter(pass => pass.params.gpuMemGb > 0).map(pass => pass.option))]
    if (withGpu.length === 0) return {status: 'ok', detail: 'every pass uses the RAM and storage tiers only'}
    return {status: 'fail', kind: 'input', detail: `option${withGpu.length === 1 ? '' : 's'} ${withGpu.join(', ')} ask${withGpu.length === 1 ? 's' : ''} for a GPU tier, which the native engine does not emulate`,
      fix: 'use --gpu-mem-gb 0 (every CLOSED option does), or the kvcache-py engine'}
  }),
  kvcacheCheck('native.kvcache.memory', 'this host has the memory the RAM tiers and buffers of every rank need', async ctx => {
    const need = kvMemoryNeed(ctx.options)
    const available = availableMemoryBytes()
    const sizes = `${formatBytes(need.totalBytes)} (${ctx.options.ranks} rank${ctx.options.ranks === 1 ? '' : 's'} × --cpu-mem-gb: ${formatBytes(need.tiersBytes)}, read buffers ${formatBytes(need.buffersBytes)}, the process itself) of ${formatBytes(available)} available`
    if (need.totalBytes <= available) return {status: 'ok', detail: `needs at most ${sizes}`}
    return {status: 'fail', kind: 'environment', detail: `needs up to ${sizes}: the kernel would kill the run`,
      fix: 'lower --cpu-mem-gb or --num-processes (each rank has its own RAM tier), or free memory on this host'}
  }),
  kvcacheCheck('native.kvcache.cacheDir', 'the cache folder is writable', async ctx => {
    const {cacheDir} = ctx.options
    if (!cacheDir) return {status: 'ok', detail: 'the cache goes into the run leaf'}
    const existing = await nearestExisting(cacheDir)
    try {
      await access(existing, constants.W_OK)
    } catch {
      return {status: 'fail', detail: `--cache-dir ${cacheDir}: ${existing} is not writable`, fix: 'give a directory you can write on the storage under test'}
    }
    return {status: 'ok', detail: `${existing} is writable`}
  }),
]

async function plan(ctx: RunContext<KvcacheRunOptions>): Promise<EnginePlan> {
  const kv = ctx.options
  const options = [...new Set(kv.passes.map(pass => pass.option))]
  const seconds = kv.passes.reduce((total, pass) => total + pass.params.durationSeconds, 0) + Math.max(0, options.length - 1) * kv.interOptionDelaySeconds
  return {
    engine: 'native',
    summary: `${kv.passes.length} emulated kv-cache passes (options ${options.join(', ')}) of ${kv.ranks} rank${kv.ranks === 1 ? '' : 's'} (${kv.npernode} per host), RAM and storage tiers, ${kv.interOptionDelaySeconds} s between options: about ${Math.ceil(seconds)} s`,
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
  checks,
  plan,
  execute: async ctx => {
    if (runsOnHosts(ctx)) {
      const {runKvPassesOnHosts} = await import('./host-passes.js')
      return runKvPassesOnHosts(ctx, ctx.options)
    }
    const {runKvPasses} = await import('./run-passes.js')
    return runKvPasses(ctx, ctx.options)
  },
}

import {access, constants} from 'node:fs/promises'
import {resolve} from 'node:path'
import {ExitCode, MlpsError, nearestExisting, type RunContext} from 'mlps'
import type {KvCachePyOptions} from '../options.js'
import type {KvRunPlan} from '../run-plan.js'
import {configBeside, locateScript} from './locate-script.js'
import {needsLauncher, rankLaunch} from './mpi-launch.js'
import {kvcachePythonOf} from './kvcache-python.js'

// the v3.0 code, at the commit the tests run (README, "Installing the engines")
const INSTALL_HINT = 'git clone https://github.com/mlcommons/storage && git -C storage checkout 284ce72 (kv_cache_benchmark/ of v3.0), python3 -m pip install numpy pyyaml ' +
  '(or --python with a Python that has them), then give --kvcache-bin-path storage/kv_cache_benchmark/kv-cache.py or set engines.kvcache-py.script; ' +
  'or run the built-in emulation with --engine native --open'

// kv-cache.py refuses these as --cache-dir (kv_cache/workload.py FORBIDDEN_CACHE_PREFIXES)
const SYSTEM_PREFIXES = ['/etc', '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/boot', '/sys', '/proc', '/dev', '/root']


/**
 * Everything kv-cache.py needs before a 75-minute run starts (engines.md §5.2): the script and its
 * config.yaml, a cache directory kv-cache.py accepts, and ranks on
 * hosts this version can start. Problems become findings (environment ones exit 3), all at once.
 */
export async function kvcachePyPreflight(ctx: RunContext): Promise<void> {
  const plan = ctx.options as unknown as KvRunPlan & {kvcacheScript?: string}
  const options = ctx.engineOptions as KvCachePyOptions
  const location = await locateScript(plan.kvcacheScript, options.script)
  if (!location.found) {
    ctx.addFinding({
      ruleId: 'kvcache-py.script', severity: 'error', kind: 'environment',
      message: `kv-cache.py not found (${location.source}: looked at ${location.looked.join(', ')})`, fix: INSTALL_HINT,
    })
  } else {
    try {
      await access(configBeside(location.script), constants.R_OK)
    } catch {
      ctx.addFinding({ruleId: 'kvcache-py.config', severity: 'error', kind: 'environment', message: `${configBeside(location.script)} is missing; kv-cache.py is always run with the official config.yaml beside it`, fix: 'use a complete kv_cache_benchmark/ checkout'})
    }
  }
  if (plan.maxContextTokens !== undefined) {
    ctx.addFinding({ruleId: 'kvcache-py.maxContextTokens', severity: 'error', kind: 'input', message: 'kv-cache.py has no context-token cap; --max-context-tokens is for the native engine', fix: 'drop --max-context-tokens, or use --engine native'})
  }
  if (plan.cacheDir) {
    const cache = resolve(plan.cacheDir)
    if (SYSTEM_PREFIXES.some(prefix => cache === prefix || cache.startsWith(`${prefix}/`))) {
      ctx.addFinding({ruleId: 'kvcache-py.cacheDir', severity: 'error', kind: 'input', message: `--cache-dir ${cache} is a system directory, which kv-cache.py refuses`, fix: 'point --cache-dir at the storage under test, e.g. /mnt/nvme/kvcache'})
    } else {
      const existing = await nearestExisting(cache)
      try {
        await access(existing, constants.W_OK)
      } catch {
        ctx.addFinding({ruleId: 'kvcache-py.cacheDir', severity: 'error', kind: 'environment', message: `--cache-dir ${cache}: ${existing} is not writable`, fix: 'give a directory you can write on the storage under test'})
      }
    }
  }
  if (needsLauncher(ctx)) {
    try {
      await rankLaunch(ctx, kvcachePythonOf(ctx), 'rank_argv.json', plan.ranks, plan.npernode)
    } catch (error) {
      const problem = error instanceof MlpsError ? error : undefined
      ctx.addFinding({ruleId: 'kvcache-py.launcher', severity: 'error', kind: problem?.exitCode === ExitCode.BadInput ? 'input' : 'environment',
        message: `cannot start ${plan.ranks} ranks on ${ctx.hosts.map(host => host.name).join(', ')}: ${(error as Error).message}`, fix: problem?.fix})
    }
  }
}

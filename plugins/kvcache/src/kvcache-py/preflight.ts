import {access, constants} from 'node:fs/promises'
import {resolve} from 'node:path'
import {type KvcacheRunOptions, KvcacheRunOptionsSchema, runWithOptions} from '@mlps/run-options'
import {type CheckContext, type CheckResult, ExitCode, MlpsError, type PreflightCheck} from 'mlps'
import {nearestExisting, runOf} from 'mlps/unstable'
import {type KvCachePyOptions, KvCachePyOptionsSchema} from '../options.js'
import {configBeside, locateScript} from './locate-script.js'
import {needsLauncher, rankLaunch} from './mpi-launch.js'
import {kvcachePythonOf} from './kvcache-python.js'

// the v3.0 code, at the commit the tests run (README, "Installing the engines")
const INSTALL_HINT = 'git clone https://github.com/mlcommons/storage && git -C storage checkout 284ce72 (kv_cache_benchmark/ of v3.0), python3 -m pip install numpy pyyaml ' +
  '(or --python with a Python that has them), then give --kvcache-bin-path storage/kv_cache_benchmark/kv-cache.py or set engines.kvcache-py.script; ' +
  'or run the built-in emulation with --engine native --open'

// kv-cache.py refuses these as --cache-dir (kv_cache/workload.py FORBIDDEN_CACHE_PREFIXES)
const SYSTEM_PREFIXES = ['/etc', '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/boot', '/sys', '/proc', '/dev', '/root']

/** The run's plan, or (in `mlps doctor`) nothing: the script and Python then come from the site config alone. */
const planOf = (ctx: CheckContext): KvcacheRunOptions | undefined => (ctx.run && runWithOptions(ctx.run, KvcacheRunOptionsSchema))?.options

/** engines.kvcache-py as the run validated it, else as the site config has it (defaults when it does not parse: the run will say why). */
function engineOptions(ctx: CheckContext): KvCachePyOptions {
  if (ctx.run?.engine?.name === 'kvcache-py') return ctx.run.engineOptions as KvCachePyOptions
  const parsed = KvCachePyOptionsSchema.safeParse(ctx.config.engines['kvcache-py'] ?? {})
  return parsed.success ? parsed.data : KvCachePyOptionsSchema.parse({})
}

function kvcachePyCheck(check: Omit<PreflightCheck, 'runsOn' | 'engine' | 'benchmark' | 'commands'>): PreflightCheck {
  return {runsOn: 'invocation', engine: 'kvcache-py', benchmark: 'kvcache', commands: ['run'], ...check}
}

/**
 * Everything kv-cache.py needs before a 75-minute run starts (engines.md §5.2): the script and its
 * config.yaml, a cache directory kv-cache.py accepts, and ranks on hosts this version can start (the
 * Python is kvcache-py.python's to check). The script is evaluated by `mlps doctor` too.
 */
export const kvcachePyChecks: PreflightCheck[] = [
  kvcachePyCheck({id: 'kvcache-py.script', title: 'kv-cache.py is where the run looks for it', async run(ctx): Promise<CheckResult> {
    const location = await locateScript(planOf(ctx)?.kvcacheScript, engineOptions(ctx).script)
    if (location.found) return {status: 'ok', detail: location.script}
    return {status: 'fail', detail: `kv-cache.py not found (${location.source}: looked at ${location.looked.join(', ')})`, fix: INSTALL_HINT}
  }}),
  kvcachePyCheck({id: 'kvcache-py.config', title: 'the official config.yaml is beside kv-cache.py', async run(ctx): Promise<CheckResult> {
    const location = await locateScript(planOf(ctx)?.kvcacheScript, engineOptions(ctx).script)
    if (!location.found) return {status: 'skip', detail: 'not evaluable: kv-cache.py is not found (kvcache-py.script says where it looked)'}
    try {
      await access(configBeside(location.script), constants.R_OK)
    } catch {
      return {status: 'fail', detail: `${configBeside(location.script)} is missing; kv-cache.py is always run with the official config.yaml beside it`, fix: 'use a complete kv_cache_benchmark/ checkout'}
    }
    return {status: 'ok', detail: configBeside(location.script)}
  }}),
  kvcachePyCheck({id: 'kvcache-py.maxContextTokens', title: 'no context-token cap, which kv-cache.py lacks', modes: ['run'],
    appliesTo: ctx => planOf(ctx)?.maxContextTokens !== undefined,
    async run(): Promise<CheckResult> {
      return {status: 'fail', kind: 'input', detail: 'kv-cache.py has no context-token cap; --max-context-tokens is for the native engine', fix: 'drop --max-context-tokens, or use --engine native'}
    }}),
  kvcachePyCheck({id: 'kvcache-py.cacheDir', title: 'a --cache-dir kv-cache.py accepts and can write', modes: ['run'],
    appliesTo: ctx => planOf(ctx)?.cacheDir !== undefined,
    async run(ctx): Promise<CheckResult> {
      const cache = resolve(planOf(ctx)!.cacheDir!)
      if (SYSTEM_PREFIXES.some(prefix => cache === prefix || cache.startsWith(`${prefix}/`))) {
        return {status: 'fail', kind: 'input', detail: `--cache-dir ${cache} is a system directory, which kv-cache.py refuses`, fix: 'point --cache-dir at the storage under test, e.g. /mnt/nvme/kvcache'}
      }
      const existing = await nearestExisting(cache)
      try {
        await access(existing, constants.W_OK)
      } catch {
        return {status: 'fail', detail: `--cache-dir ${cache}: ${existing} is not writable`, fix: 'give a directory you can write on the storage under test'}
      }
      return {status: 'ok', detail: `${existing} is writable`}
    }}),
  kvcachePyCheck({id: 'kvcache-py.launcher', title: 'a launcher starts the ranks on the hosts given', modes: ['run'],
    appliesTo: ctx => ctx.run !== undefined && needsLauncher(ctx.run),
    async run(check): Promise<CheckResult> {
      const ctx = runOf(check)
      const {ranks} = planOf(check)!
      try {
        await rankLaunch(ctx, kvcachePythonOf(ctx), 'rank_argv.json', ranks, planOf(check)!.npernode)
      } catch (error) {
        const problem = error instanceof MlpsError ? error : undefined
        return {status: 'fail', kind: problem?.exitCode === ExitCode.BadInput ? 'input' : 'environment',
          detail: `cannot start ${ranks} ranks on ${ctx.hosts.map(host => host.name).join(', ')}: ${(error as Error).message}`, ...(problem?.fix ? {fix: problem.fix} : {})}
      }
      return {status: 'ok', detail: `${ranks} ranks on ${ctx.hosts.map(host => host.name).join(', ')}`}
    }}),
]

import {resolveFolderPath} from 'mlps/unstable'
import {MlpsError} from 'mlps'
import {CLOSED_INTER_OPTION_DELAY_SECONDS, CLOSED_OPTIONS, CLOSED_PASS_DELAY_SECONDS, CLOSED_SEED, CLOSED_TRIALS, type KvWorkloadParams} from './closed-options.js'
import {type KvcacheFlags, OPEN_ONLY_FLAGS} from './kvcache-flags.js'
import type {KvPass, KvRunPlan} from './run-plan.js'
import {kvBytesPerToken, kvModel} from './models.js'
import {GENERATION_SECONDS_PER_TOKEN, USER_TEMPLATES} from './user-templates.js'

export interface RunPlanInput {
  division: 'closed' | 'open'
  /** the parsed flags; only the ones the user gave are set */
  flags: KvcacheFlags
  hostCount: number
  /** benchmarks.kvcache.cacheDir */
  configCacheDir?: string
}

export interface BuiltRunPlan {
  plan: KvRunPlan
  userOverrides: Record<string, unknown>
  toolInjected: Record<string, unknown>
}

/** The workload flags the user gave, as pass parameters (OPEN: they supersede each option's value, key by key). */
export function workloadOverrides(flags: KvcacheFlags): Partial<KvWorkloadParams> {
  const overrides: Partial<KvWorkloadParams> = {}
  const given = <K extends keyof KvWorkloadParams>(key: K, value: KvWorkloadParams[K] | undefined) => {
    if (value !== undefined) overrides[key] = value
  }
  given('model', flags.model)
  given('numUsers', flags['num-users'])
  given('durationSeconds', flags.duration)
  given('gpuMemGb', flags['gpu-mem-gb'])
  given('cpuMemGb', flags['cpu-mem-gb'])
  given('maxConcurrentAllocs', flags['max-concurrent-allocs'])
  given('generationMode', flags['generation-mode'])
  given('performanceProfile', flags['performance-profile'])
  // a boolean flag left off is "not given", not "false": the option's own value stays
  given('disableMultiTurn', flags['disable-multi-turn'] || undefined)
  given('disablePrefixCaching', flags['disable-prefix-caching'] || undefined)
  given('enableRag', flags['enable-rag'] || undefined)
  given('ragNumDocs', flags['rag-num-docs'])
  given('enableAutoscaling', flags['enable-autoscaling'] || undefined)
  given('autoscalerMode', flags['autoscaler-mode'])
  return overrides
}

/**
 * Rank layout (mlpstorage-spec.md §4.2 step 2): --num-processes must divide evenly across the
 * hosts; --npernode (default 1) × hosts otherwise; both given must agree.
 */
function rankLayout(flags: KvcacheFlags, hostCount: number): {ranks: number; npernode: number} {
  const total = flags['num-processes']
  const perNode = flags.npernode
  if (total !== undefined && perNode !== undefined && total !== perNode * hostCount) {
    throw new MlpsError(`--num-processes ${total} does not equal --npernode ${perNode} × ${hostCount} host${hostCount === 1 ? '' : 's'}`, {
      where: '--num-processes', fix: `give one of them, or make --num-processes ${perNode * hostCount}`,
    })
  }
  if (total !== undefined) {
    if (total % hostCount !== 0) {
      throw new MlpsError(`--num-processes ${total} does not divide evenly across ${hostCount} hosts`, {where: '--num-processes', fix: `use a multiple of ${hostCount}, or --npernode`})
    }
    return {ranks: total, npernode: total / hostCount}
  }
  const npernode = perNode ?? 1
  return {ranks: npernode * hostCount, npernode}
}

/**
 * The passes of `mlps kvcache run`: each selected option × trials, in order. CLOSED takes the three
 * options verbatim with seed 42, 3 trials and 90 s between options (rules.md §1.3, R 6.3.2, 6.6.1)
 * and refuses anything else, listing every problem at once; OPEN lets the flags the user actually
 * gave supersede the option values (never defaults: the reference's argparse defaults silently won,
 * engines.md §3.4).
 */
export function buildRunPlan(input: RunPlanInput): BuiltRunPlan {
  const {flags, division} = input
  const problems: string[] = []
  if (division === 'closed') {
    const openOnly = OPEN_ONLY_FLAGS.filter(name => flags[name] !== undefined && flags[name] !== false)
    if (openOnly.length > 0) problems.push(`${openOnly.map(name => `--${name}`).join(', ')} change${openOnly.length === 1 ? 's' : ''} the workload, which CLOSED runs verbatim (R 6.6.1)`)
    if (flags.seed !== undefined && flags.seed !== CLOSED_SEED) problems.push(`--seed must be ${CLOSED_SEED} in CLOSED (R 6.3.2), got ${flags.seed}`)
    if (flags.trials !== undefined && flags.trials !== CLOSED_TRIALS) problems.push(`--trials must be ${CLOSED_TRIALS} in CLOSED (R 6.3.2), got ${flags.trials}`)
    if (flags['inter-option-delay'] !== undefined && flags['inter-option-delay'] !== CLOSED_INTER_OPTION_DELAY_SECONDS) {
      problems.push(`--inter-option-delay must be ${CLOSED_INTER_OPTION_DELAY_SECONDS} s in CLOSED (R 6.3.2.1), got ${flags['inter-option-delay']}`)
    }
    for (const flag of ['start-delay', 'end-delay'] as const) {
      if (flags[flag] !== undefined && flags[flag] !== CLOSED_PASS_DELAY_SECONDS) problems.push(`--${flag} must be ${CLOSED_PASS_DELAY_SECONDS} s in CLOSED (the official mlperf_wrapper.py's), got ${flags[flag]}`)
    }
  }
  if (problems.length > 0) {
    throw new MlpsError(`not a CLOSED kvcache run:\n  - ${problems.join('\n  - ')}`, {where: 'kvcache run', fix: 'drop those flags for a CLOSED run, or add --open to run a modified workload'})
  }

  const overrides = division === 'open' ? workloadOverrides(flags) : {}
  const selected = flags.option ?? [1, 2, 3]
  const trials = flags.trials ?? CLOSED_TRIALS
  const passes: KvPass[] = []
  for (const option of CLOSED_OPTIONS.filter(o => selected.includes(o.option))) {
    // max-concurrent-allocs is always the option's own value in the reference; here an explicit OPEN flag wins
    const params: KvWorkloadParams = {...option.params, ...overrides}
    const model = kvModel(params.model)
    if (!model) throw new MlpsError(`unknown model "${params.model}"`, {where: '--model', fix: 'pick one of the models `mlps kvcache run --help` lists'})
    const perToken = {kvBytesPerToken: kvBytesPerToken(model), generationSecondsPerToken: GENERATION_SECONDS_PER_TOKEN[params.generationMode]}
    for (let trial = 0; trial < trials; trial++) passes.push({option: option.option, optionName: option.name, trial, params, ...perToken})
  }
  const {ranks, npernode} = rankLayout(flags, input.hostCount)
  const cacheDir = flags['cache-dir'] ?? input.configCacheDir
  const plan: KvRunPlan = {
    passes,
    ranks,
    npernode,
    hostCount: input.hostCount,
    seedBase: flags.seed ?? CLOSED_SEED,
    trialsPerOption: trials,
    interOptionDelaySeconds: flags['inter-option-delay'] ?? CLOSED_INTER_OPTION_DELAY_SECONDS,
    // CLOSED runs each pass as the official wrapper does, 90 s of quiet before and after; OPEN only when asked
    passStartDelaySeconds: flags['start-delay'] ?? (division === 'closed' ? CLOSED_PASS_DELAY_SECONDS : 0),
    passEndDelaySeconds: flags['end-delay'] ?? (division === 'closed' ? CLOSED_PASS_DELAY_SECONDS : 0),
    cacheDir: cacheDir === undefined ? undefined : resolveFolderPath(cacheDir, flags['cache-dir'] === undefined ? 'benchmarks.kvcache.cacheDir' : '--cache-dir',
      'kv-cache.py writes its cache as files: mount the bucket (s3fs, rclone mount, Mountpoint-S3) and give the mount point'),
    userTemplates: USER_TEMPLATES,
    maxContextTokens: flags['max-context-tokens'],
  }
  const userOverrides: Record<string, unknown> = {...overrides}
  for (const key of ['seed', 'trials', 'inter-option-delay', 'start-delay', 'end-delay', 'option', 'max-context-tokens'] as const) if (flags[key] !== undefined) userOverrides[key] = flags[key]
  const toolInjected: Record<string, unknown> = {
    seedBase: plan.seedBase, trialsPerOption: trials, interOptionDelaySeconds: plan.interOptionDelaySeconds,
    passStartDelaySeconds: plan.passStartDelaySeconds, passEndDelaySeconds: plan.passEndDelaySeconds, ranks, npernode,
  }
  if (plan.cacheDir) toolInjected.cacheDir = plan.cacheDir
  return {plan, userOverrides, toolInjected}
}

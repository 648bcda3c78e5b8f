import {isAbsolute, resolve} from 'node:path'
import {MlpsError} from 'mlps'
import {CLOSED_INTER_OPTION_DELAY_SECONDS, CLOSED_OPTIONS, CLOSED_PASS_DELAY_SECONDS, CLOSED_SEED, CLOSED_TRIALS, type KvWorkloadParams} from './closed-options.js'
import {OPEN_ONLY_FLAGS} from './kvcache-flags.js'
import type {KvPass, KvRunPlan} from './run-plan.js'
import {kvBytesPerToken, kvModel} from './models.js'
import {GENERATION_SECONDS_PER_TOKEN, type GenerationMode, USER_TEMPLATES} from './user-templates.js'

export interface RunPlanInput {
  division: 'closed' | 'open'
  /** the parsed flags; only the ones the user gave are set */
  flags: Record<string, unknown>
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
function overridesFrom(flags: Record<string, unknown>): Partial<KvWorkloadParams> {
  const given = <T>(key: string) => flags[key] as T | undefined
  const entries: Array<[keyof KvWorkloadParams, unknown]> = [
    ['model', given<string>('model')], ['numUsers', given<number>('num-users')], ['durationSeconds', given<number>('duration')],
    ['gpuMemGb', given<number>('gpu-mem-gb')], ['cpuMemGb', given<number>('cpu-mem-gb')], ['maxConcurrentAllocs', given<number>('max-concurrent-allocs')],
    ['generationMode', given<GenerationMode>('generation-mode')], ['performanceProfile', given<string>('performance-profile')],
    ['disableMultiTurn', flags['disable-multi-turn'] || undefined], ['disablePrefixCaching', flags['disable-prefix-caching'] || undefined],
    ['enableRag', flags['enable-rag'] || undefined], ['ragNumDocs', given<number>('rag-num-docs')],
    ['enableAutoscaling', flags['enable-autoscaling'] || undefined], ['autoscalerMode', given<string>('autoscaler-mode')],
  ]
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Partial<KvWorkloadParams>
}

/**
 * Rank layout (mlpstorage-spec.md §4.2 step 2): --num-processes must divide evenly across the
 * hosts; --npernode (default 1) × hosts otherwise; both given must agree.
 */
function rankLayout(flags: Record<string, unknown>, hostCount: number): {ranks: number; npernode: number} {
  const total = flags['num-processes'] as number | undefined
  const perNode = flags.npernode as number | undefined
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

  const overrides = division === 'open' ? overridesFrom(flags) : {}
  const selected = (flags.option as number[] | undefined) ?? [1, 2, 3]
  const trials = (flags.trials as number | undefined) ?? CLOSED_TRIALS
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
  const cacheFlag = flags['cache-dir'] as string | undefined
  const cacheDir = cacheFlag ?? input.configCacheDir
  const plan: KvRunPlan = {
    passes,
    ranks,
    npernode,
    hostCount: input.hostCount,
    seedBase: (flags.seed as number | undefined) ?? CLOSED_SEED,
    trialsPerOption: trials,
    interOptionDelaySeconds: (flags['inter-option-delay'] as number | undefined) ?? CLOSED_INTER_OPTION_DELAY_SECONDS,
    // CLOSED runs each pass as the official wrapper does, 90 s of quiet before and after; OPEN only when asked
    passStartDelaySeconds: (flags['start-delay'] as number | undefined) ?? (division === 'closed' ? CLOSED_PASS_DELAY_SECONDS : 0),
    passEndDelaySeconds: (flags['end-delay'] as number | undefined) ?? (division === 'closed' ? CLOSED_PASS_DELAY_SECONDS : 0),
    cacheDir: cacheDir === undefined ? undefined : isAbsolute(cacheDir) ? cacheDir : resolve(cacheDir),
    userTemplates: USER_TEMPLATES,
    maxContextTokens: flags['max-context-tokens'] as number | undefined,
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

import {type AnyRule, type LoadedRun, type RuleOutcome} from 'mlps'
import {defineRule, fail, notEvaluable, pass} from 'mlps/unstable'
import {toNumber} from './facts.js'
import {cacheDir, interOptionDelay, passes, rankResultFiles, seedBase, summaryEvidence, summaryOptions} from './kvcache-facts.js'
import {kvRunSummaryOf} from '@mlps/result-formats'

// MLPerf Storage v3.0 KV-cache rules (rules.md §1.3, R 6.3–6.6; the SC KV-cache checker was a stub, so
// these follow the Rules text and mlpstorage's WORKLOAD_PARAMS, mlpstorage-spec.md §4.2).

/** R 6.3.1.1, Rules Table KVCache-1: the three CLOSED options, verbatim (keys as the kvcache plugin records a pass). */
export const KV_CLOSED_OPTIONS: Readonly<Record<number, Readonly<Record<string, string | number>>>> = {
  1: {model: 'llama3.1-8b', numUsers: 200, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 0, maxConcurrentAllocs: 16, generationMode: 'none'},
  2: {model: 'llama3.1-8b', numUsers: 100, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 4, maxConcurrentAllocs: 16, generationMode: 'none'},
  3: {model: 'llama3.1-70b-instruct', numUsers: 70, durationSeconds: 300, gpuMemGb: 0, cpuMemGb: 0, maxConcurrentAllocs: 4, generationMode: 'none'},
}
/** R 6.3.2 sequence locks */
export const KV_SEED = 42
export const KV_TRIALS = 3
/** R 6.3.2.1; mlpstorage's code default was 20 s (mlpstorage-spec.md §4.2) */
export const KV_INTER_OPTION_DELAY_SECONDS = 90

const noSummary = (run: LoadedRun) => notEvaluable(`${run.path}: no KV-cache run summary (summary.json)`, {fix: 'keep the summary.json the run wrote'})

export const kvcacheSummaryFile = defineRule({
  id: '2.1.27 kvcacheSummaryFile',
  scope: 'run',
  title: 'the run leaf holds its aggregated summary as summary.json',
  source: 'rules.md §2.1 diagram (R 2.1.27) and §4 item 16 (a summary named kvcache_run_summary_<ts>.json was ignored and the row withheld, AR3)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  check(run) {
    if (run.files.includes('summary.json')) return pass()
    const alias = run.files.find(file => /^kvcache_run_summary_.*\.json$/.test(file))
    return fail(alias ? `${run.path}: the run summary is named ${alias}; the results tables only read summary.json` : `${run.path}: no summary.json; the options were never aggregated`, {
      evidence: [{file: `${run.path}/${alias ?? 'summary.json'}`}], fix: alias ? `rename ${alias} to summary.json` : 'keep the summary.json mlps kvcache run writes',
    })
  },
})

export const kvcacheThreeOptions = defineRule({
  id: '6.3.1 kvcacheThreeOptions',
  scope: 'run',
  title: 'a CLOSED run holds all three options (1 Max Storage Stress, 2 Storage Throughput, 3 Large Model)',
  source: 'rules.md §1.3 (R 6.3.1, Rules Table KVCache-1)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const summary = kvRunSummaryOf(run)
    if (!summary) return noSummary(run)
    const present = summaryOptions(summary)
    const missing = [1, 2, 3].filter(option => !present.includes(option))
    const extra = present.filter(option => !(option in KV_CLOSED_OPTIONS))
    if (missing.length === 0 && extra.length === 0) return pass()
    return fail(`${run.path}: options ${present.join(', ') || 'none'} in the summary; CLOSED runs 1, 2 and 3${missing.length > 0 ? ` (missing ${missing.join(', ')})` : ''}`, {
      evidence: [summaryEvidence(run, 'options', present)], fix: 'run mlps kvcache run without --option, so all three options run in one invocation',
    })
  },
})

export const kvcacheClosedOptionParameters = defineRule({
  id: '6.3.1.1 kvcacheClosedOptionParameters',
  scope: 'run',
  title: 'every pass ran its option verbatim (model, users, 300 s, gpu 0, cpu, concurrent allocations, generation none; no autoscaling)',
  source: 'rules.md §1.3 (R 6.3.1.1 "immutable", R 6.3.2 no --enable-autoscaling)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const recorded = passes(run)
    if (!recorded.value || recorded.value.length === 0) return notEvaluable(`${run.path}: the passes' workload parameters are not recorded`, {evidence: [recorded.evidence]})
    const outcomes: RuleOutcome[] = []
    for (const {option, trial, params} of recorded.value) {
      const expected = KV_CLOSED_OPTIONS[option]
      if (!expected) continue // an unknown option is 6.3.1's finding
      const wrong = Object.entries(expected).filter(([key, value]) => (typeof value === 'number' ? toNumber(params[key]) : params[key]) !== value)
      const extras = Object.entries(params).filter(([key, value]) => !(key in expected) && value !== undefined && value !== false)
      if (wrong.length === 0 && extras.length === 0) continue
      const described = [...wrong.map(([key, value]) => `${key}=${String(params[key])} (option ${option} is ${value})`), ...extras.map(([key, value]) => `${key}=${String(value)}`)]
      outcomes.push(fail(`${run.path}: option ${option} trial ${trial} ran ${described.join(', ')}`, {
        evidence: [{...recorded.evidence, path: `${recorded.evidence.path}[option ${option}, trial ${trial}].params`, value: params}],
        fix: 'run CLOSED without workload flags (mlps kvcache run refuses them), or submit in open',
      }))
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const kvcacheTrials = defineRule({
  id: '6.3.2 kvcacheTrialsPerOption',
  scope: 'run',
  title: 'three trials of every option (trial_0 … trial_2)',
  source: 'rules.md §1.3 (R 6.3.2 sequence locks)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const summary = kvRunSummaryOf(run)
    if (!summary) return noSummary(run)
    const outcomes: RuleOutcome[] = []
    const declared = summary.trials_per_option
    if (declared !== undefined && declared !== KV_TRIALS) {
      outcomes.push(fail(`${run.path}: trials_per_option is ${declared}; CLOSED runs ${KV_TRIALS}`, {evidence: [summaryEvidence(run, 'trials_per_option', declared)], fix: 'run without --trials'}))
    }
    for (const [key, option] of Object.entries(summary.options)) {
      if (option.trial_count === undefined) outcomes.push(notEvaluable(`${run.path}: option ${key} has no trial_count`, {evidence: [summaryEvidence(run, `options.${key}`)]}))
      else if (option.trial_count !== KV_TRIALS) {
        outcomes.push(fail(`${run.path}: option ${key} ran ${option.trial_count} trial(s); CLOSED runs ${KV_TRIALS}`, {evidence: [summaryEvidence(run, `options.${key}.trial_count`, option.trial_count)], fix: 'run without --trials'}))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const kvcacheSeed = defineRule({
  id: '6.3.2 kvcacheSeed',
  scope: 'run',
  title: 'seed 42 (rank N runs with 42 + N)',
  source: 'rules.md §1.3 (R 6.3.2 sequence locks)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const seed = seedBase(run)
    if (seed.value === undefined) return notEvaluable(`${run.path}: the seed is not recorded`, {evidence: [seed.evidence]})
    return seed.value === KV_SEED ? pass() : fail(`${run.path}: seed ${seed.value}; CLOSED runs seed ${KV_SEED}`, {evidence: [seed.evidence], fix: 'run without --seed'})
  },
})

export const kvcacheInterOptionDelay = defineRule({
  id: '6.3.2.1 kvcacheInterOptionDelay',
  scope: 'run',
  title: '90 s between options',
  source: 'rules.md §1.3 (R 6.3.2.1; the v3.0 tool defaulted to 20 s, mlpstorage-spec.md §4.2)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const delay = interOptionDelay(run)
    if (delay.value === undefined) return notEvaluable(`${run.path}: the delay between options is not recorded`, {evidence: [delay.evidence]})
    if (delay.value === KV_INTER_OPTION_DELAY_SECONDS) return pass()
    return fail(`${run.path}: ${delay.value} s between options; R 6.3.2.1 requires ${KV_INTER_OPTION_DELAY_SECONDS} s`, {evidence: [delay.evidence], fix: 'run without --inter-option-delay'})
  },
})

export const kvcacheRankCompleteness = defineRule({
  id: '6.3.3 kvcacheRankCompleteness',
  scope: 'run',
  title: 'every rank of every trial left its results file, and the summary aggregated all of them',
  source: 'rules.md §1.3 (R 6.3.3 a client = one rank; R 6.3.4 aggregation; §4 item 15: partial failures were published as means over surviving ranks)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  check(run) {
    const summary = kvRunSummaryOf(run)
    if (!summary) return noSummary(run)
    const ranks = summary.total_ranks ?? run.numProcesses
    if (ranks === undefined) return notEvaluable(`${run.path}: the rank count is not recorded`, {evidence: [summaryEvidence(run, 'total_ranks')]})
    const found = rankResultFiles(run)
    const outcomes: RuleOutcome[] = []
    for (const [key, option] of Object.entries(summary.options)) {
      const number = option.option ?? Number(key)
      const trials = option.trial_count ?? summary.trials_per_option
      if (trials === undefined) {
        outcomes.push(notEvaluable(`${run.path}: option ${number} has no trial count`, {evidence: [summaryEvidence(run, `options.${key}`)]}))
        continue
      }
      const missing: string[] = []
      for (let trial = 0; trial < trials; trial++) {
        for (let rank = 0; rank < ranks; rank++) if (!found.has(`${number}/${trial}/${rank}`)) missing.push(`option_${number}/trial_${trial}/rank_${rank}`)
      }
      if (missing.length > 0 || option.partial_failure === true || (option.missing_files?.length ?? 0) > 0) {
        const named = missing.length > 0 ? missing : option.missing_files ?? []
        outcomes.push(fail(`${run.path}: option ${number} is incomplete: ${named.length > 0 ? `${named.length} rank result(s) missing (${named.slice(0, 4).join(', ')}${named.length > 4 ? ', …' : ''})` : 'the summary marks it a partial failure'}`, {
          evidence: [summaryEvidence(run, `options.${key}.partial_failure`, option.partial_failure), ...missing.slice(0, 3).map(path => ({file: `${run.path}/${path}`}))],
          fix: 'find why the rank failed (its stdout/stderr logs), then re-run; a mean over the surviving ranks is not a result',
        }))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const kvcacheCpuTier = defineRule({
  id: '6.3.4.4 kvcacheCpuTierRanks',
  scope: 'run',
  title: 'an option whose every rank was served from the CPU tier never reached storage: it cannot be CLOSED',
  source: 'rules.md §1.3 (R 6.3.4.4 "all-CPU options must fail/OPEN")',
  severity: 'warn',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const summary = kvRunSummaryOf(run)
    if (!summary) return noSummary(run)
    const outcomes: RuleOutcome[] = []
    for (const [key, option] of Object.entries(summary.options)) {
      const cpu = option.cpu_tier_ranks?.length ?? 0
      const served = (option.rank_count ?? summary.total_ranks ?? 0) * (option.trial_count ?? 0)
      if (cpu === 0) continue
      const evidence = [summaryEvidence(run, `options.${key}.cpu_tier_ranks`, option.cpu_tier_ranks)]
      if (served > 0 && cpu >= served) {
        outcomes.push(fail(`${run.path}: option ${key} never reached storage: every rank of every trial was served from the CPU tier`, {evidence, openOnly: true, fix: 'use a cache directory on the storage under test and the option\'s CPU memory (0 or 4 GiB)'}))
      } else {
        outcomes.push(fail(`${run.path}: option ${key}: ${cpu} rank trial(s) were served from the CPU tier only`, {evidence, severity: 'info'}))
      }
    }
    return outcomes.length > 0 ? outcomes : pass()
  },
})

export const kvcacheClosedParameters = defineRule({
  id: '6.6.1 kvcacheClosedParameters',
  scope: 'run',
  title: 'CLOSED runs change only the system name, the cache and results folders and the rank topology',
  source: 'rules.md §1.3 (R 6.6.1); the topology and folders are not workload overrides in the run record',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  divisions: ['closed'],
  check(run) {
    const file = run.sources.record ?? run.sources.metadata ?? run.path
    const outcomes = Object.entries(run.userOverrides).map(([key, value]) => fail(`${run.path}: ${key}=${JSON.stringify(value)} changes the CLOSED workload`, {
      evidence: [{file, path: `parameters.userOverrides.${key}`, value}], fix: 'drop the flag, or submit in open',
    }))
    return outcomes.length > 0 ? outcomes : pass()
  },
})

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`)

export const kvcacheCacheDir = defineRule({
  id: '6.4.1 kvcacheCacheDirOutsideResults',
  scope: 'run',
  title: 'the KV cache lives on the storage under test, not inside the results folder',
  source: 'rules.md §1.3 (R 6.4.1: cache dir and results dir on different filesystems; the filesystem itself is not recorded)',
  severity: 'error',
  benchmarks: ['kv_cache'],
  commands: ['run'],
  check(run) {
    const cache = cacheDir(run)
    if (run.sources.record && cache.value === undefined) {
      // the kvcache plugin then caches in <run leaf>/kvcache_cache
      return fail(`${run.path}: no cache directory was given, so the KV cache lived inside the results folder`, {evidence: [cache.evidence], fix: 'pass --cache-dir on the storage under test'})
    }
    if (cache.value === undefined) return notEvaluable(`${run.path}: the cache directory is not recorded`, {evidence: [cache.evidence]})
    const leafRoot = run.absolutePath.split(`/${run.divisionFolder ?? '\0'}/`)[0]
    const results = run.divisionFolder && leafRoot !== run.absolutePath ? leafRoot : run.absolutePath
    if (!inside(cache.value, results) && !inside(results, cache.value)) return pass()
    return fail(`${run.path}: the cache directory ${cache.value} and the results (${results}) share a folder`, {evidence: [cache.evidence], fix: 'put --cache-dir on the storage under test and --results-dir elsewhere'})
  },
})

export const kvcacheRules: readonly AnyRule[] = [
  kvcacheSummaryFile, kvcacheThreeOptions, kvcacheClosedOptionParameters, kvcacheTrials, kvcacheSeed, kvcacheInterOptionDelay,
  kvcacheRankCompleteness, kvcacheCpuTier, kvcacheClosedParameters, kvcacheCacheDir,
]

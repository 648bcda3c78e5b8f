import {join} from 'node:path'
import type {KvWorkloadParams} from '../closed-options.js'
import {type KvPass, rankFolder, rankResultsName} from '../run-plan.js'

export interface RankInvocation {
  rank: number
  host: string
  /** the full argv the rank runs: python, kv-cache.py, flags */
  argv: string[]
  outputDir: string
  cacheDir: string
  outputFile: string
}

/** kv-cache.py's flags for a pass's workload (engines.md §3.3 names; only what was asked is passed). */
export function workloadArgs(params: KvWorkloadParams): string[] {
  const args = [
    '--model', params.model, '--num-users', String(params.numUsers), '--duration', String(params.durationSeconds),
    '--gpu-mem-gb', String(params.gpuMemGb), '--cpu-mem-gb', String(params.cpuMemGb),
    '--max-concurrent-allocs', String(params.maxConcurrentAllocs), '--generation-mode', params.generationMode,
  ]
  if (params.performanceProfile) args.push('--performance-profile', params.performanceProfile)
  if (params.disableMultiTurn) args.push('--disable-multi-turn')
  if (params.disablePrefixCaching) args.push('--disable-prefix-caching')
  if (params.enableRag) args.push('--enable-rag', ...(params.ragNumDocs === undefined ? [] : ['--rag-num-docs', String(params.ragNumDocs)]))
  if (params.enableAutoscaling) args.push('--enable-autoscaling', ...(params.autoscalerMode ? ['--autoscaler-mode', params.autoscalerMode] : []))
  return args
}

export interface RankArgvInput {
  python: string
  script: string
  config: string
  leaf: string
  cacheRoot: string
  seedBase: number
  /** `YYYYMMDD_HHMMSS` of the pass, for the results file name */
  timestamp: string
  /** host of each rank, rank order */
  rankHosts: readonly string[]
}

/**
 * Every rank's exact argv for one pass, as mlperf_wrapper.py builds it (engines.md §3.4): seed = base +
 * rank, output in `<leaf>/option_O/trial_T/rank_N/`, cache in `<cacheRoot>/rank_N/` (per-rank
 * isolation, R 6.3.3.3), the official config.yaml, then the option's workload flags.
 */
export function rankInvocations(pass: KvPass, input: RankArgvInput): RankInvocation[] {
  return input.rankHosts.map((host, rank) => {
    const outputDir = join(input.leaf, rankFolder(pass, rank))
    const cacheDir = join(input.cacheRoot, `rank_${rank}`)
    const outputFile = join(outputDir, rankResultsName(input.timestamp))
    return {
      rank, host, outputDir, cacheDir, outputFile,
      argv: [
        input.python, input.script, '--config', input.config, '--seed', String(input.seedBase + rank),
        '--output', outputFile, '--cache-dir', cacheDir, ...workloadArgs(pass.params),
      ],
    }
  })
}

/** Hosts in rank order: npernode consecutive ranks per host, hosts in the order given. */
export function rankHosts(hosts: readonly string[], npernode: number): string[] {
  return hosts.flatMap(host => Array.from({length: npernode}, () => host))
}

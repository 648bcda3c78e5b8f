import type {KvcacheRunOptions} from '@mlps/run-options'
import {BenchmarkCommand, type BenchmarkCommandFlags, type ResolvedConfig, type RunDescription} from 'mlps'
import {parseHosts, type Registry} from 'mlps/unstable'
import {buildRunPlan} from '../../build-run-plan.js'
import {runFlags, workloadFlags} from '../../kvcache-flags.js'
import {type KvCacheOptions, KvCacheOptionsSchema} from '../../options.js'

export default class KvCacheRun extends BenchmarkCommand<typeof KvCacheRun> {
  static summary = 'Run the KV-cache benchmark: the three CLOSED options × 3 trials, every rank at once'
  static description = 'CLOSED runs options 1 (llama3.1-8b, 200 users, cpu 0), 2 (llama3.1-8b, 100 users, cpu 4 GiB) and 3 (llama3.1-70b-instruct, 70 users) for 300 s each, 3 trials, seed 42 + rank, 90 s between options, then aggregates every rank like the reference (bandwidth summed over ranks and averaged over trials, P95 = max over ranks). With --open the workload flags you give replace the options\' values. --engine native runs the built-in emulation (never CLOSED).'
  static examples = [
    '<%= config.bin %> kvcache run --cache-dir /mnt/nvme/kvcache --kvcache-bin-path ~/storage/kv_cache_benchmark/kv-cache.py',
    '<%= config.bin %> kvcache run --engine kvcache-py --dry-run --json --npernode 2',
    '<%= config.bin %> kvcache run --open --engine native --option 1 --trials 1 --duration 5 --model tiny-1b --num-users 4 --max-context-tokens 256 --inter-option-delay 0',
  ]
  static flags = {...workloadFlags, ...runFlags}

  protected readonly benchmark = 'kvcache'
  protected readonly commandName = 'run'

  protected async describeRun(flags: BenchmarkCommandFlags<typeof KvCacheRun>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const config: KvCacheOptions = KvCacheOptionsSchema.parse(resolved.config.benchmarks.kvcache ?? {})
    const hosts = parseHosts(resolved.config.hosts, resolved.sources.get('hosts')?.kind === 'flag' ? '--hosts' : 'hosts')
    const {plan, userOverrides, toolInjected} = buildRunPlan({division: resolved.config.division, flags, hostCount: hosts.length, configCacheDir: config.cacheDir})
    // the results tree files the run under its first option's model, as the reference does (kv_cache/llama3.1-8b/run/<ts>/)
    const model = plan.passes[0].params.model
    // `model` too: the run checker reads parameters.model (mlpstorage-spec.md §4.2, issue #537)
    const options: KvcacheRunOptions = {...plan, model, kvcacheScript: flags['kvcache-bin-path'], python: flags.python}
    return {
      model,
      modelPath: [model],
      engine: flags.engine ?? config.engine,
      numProcesses: plan.ranks,
      options,
      userOverrides,
      toolInjected,
    }
  }
}

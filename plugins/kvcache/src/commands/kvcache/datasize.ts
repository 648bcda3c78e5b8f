import {BenchmarkCommand, type BenchmarkCommandFlags, MlpsError, type ResolvedConfig, type RunDescription} from 'mlps'
import {LIMITS, formatBytes, type LifecycleOutcome, parseHosts, type Registry} from 'mlps/unstable'
import {workloadOverrides} from '../../build-run-plan.js'
import {CLOSED_OPTIONS, type KvWorkloadParams} from '../../closed-options.js'
import {kvDatasize, type KvDatasize} from '../../datasize.js'
import {workloadFlags} from '../../kvcache-flags.js'
import {kvModel} from '../../models.js'
import {Flags} from 'mlps'

export default class KvCacheDatasize extends BenchmarkCommand<typeof KvCacheDatasize> {
  static summary = 'Size the KV-cache storage tier and RAM for each option'
  static description = 'Block sizes come from the model geometry (layers × KV heads × head dim × 2 × bytes per token) and the simulated users\' context lengths; the cache directory must hold the working set that does not fit the RAM tiers.'
  static examples = [
    '<%= config.bin %> kvcache datasize',
    '<%= config.bin %> kvcache datasize --open --model llama3.1-70b-instruct --num-users 70 --npernode 4',
  ]
  static flags = {...workloadFlags, npernode: Flags.integer({description: 'ranks per host (default 1)', min: 1, max: LIMITS.ranksPerHost})}

  protected readonly benchmark = 'kvcache'
  protected readonly commandName = 'datasize'

  protected async describeRun(flags: BenchmarkCommandFlags<typeof KvCacheDatasize>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const hosts = parseHosts(resolved.config.hosts)
    const ranks = (flags.npernode ?? 1) * hosts.length
    const open = resolved.config.division === 'open'
    const changing = (['model', 'num-users', 'gpu-mem-gb', 'cpu-mem-gb', 'max-concurrent-allocs'] as const).filter(name => flags[name] !== undefined)
    if (!open && changing.length > 0) {
      throw new MlpsError(`${changing.map(name => `--${name}`).join(', ')} change the CLOSED options`, {where: 'kvcache datasize', fix: 'add --open to size a modified workload'})
    }
    const selected = flags.option ?? [1, 2, 3]
    const sizes = CLOSED_OPTIONS.filter(option => selected.includes(option.option)).map(option => {
      const params: KvWorkloadParams = {...option.params, ...(open ? workloadOverrides(flags) : {})}
      return {option: option.option, name: option.name, numUsers: params.numUsers, ...kvDatasize(kvModel(params.model)!, params, ranks)}
    })
    const model = sizes[0].model
    return {
      model,
      parameters: {ranks, sizes},
      execute: async () => ({
        status: 'COMPLETED',
        metrics: Object.fromEntries(sizes.flatMap(size => [
          [`kvcache_opt${size.option}_storage_bytes_needed`, size.storageBytesNeeded],
          [`kvcache_opt${size.option}_ram_bytes_per_rank`, size.ramBytesPerRank],
          [`kvcache_opt${size.option}_mean_block_bytes`, size.meanBlockBytes],
        ])),
        extra: {kvcache: {datasize: sizes}},
      }),
    }
  }

  protected override report(outcome: LifecycleOutcome): void {
    const sizes = (outcome.record.extra.kvcache as {datasize?: Array<KvDatasize & {option: number; name: string; numUsers: number}>} | undefined)?.datasize
    for (const size of sizes ?? []) {
      this.say(`option ${size.option} (${size.name}): ${size.model}, ${size.numUsers} users per rank`)
      this.say(`  KV per token: ${formatBytes(size.bytesPerToken)}; block mean ${formatBytes(size.meanBlockBytes)}, largest ${formatBytes(size.maxBlockBytes)}`)
      this.say(`  working set: ${formatBytes(size.perRankWorkingSetBytes)} per rank, ${formatBytes(size.totalWorkingSetBytes)} in all`)
      this.say(`  cache dir needs at least ${formatBytes(size.storageBytesNeeded)} free; RAM per rank ≥ ${formatBytes(size.ramBytesPerRank)} (${size.inFlightBlocks} blocks in flight)`)
    }
    super.report(outcome)
  }
}

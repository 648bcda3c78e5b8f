import {hostname, totalmem} from 'node:os'
import {BenchmarkCommand, type BenchmarkCommandFlags, type BenchmarkCommandResult, Flags, type HostSlot, MlpsError, type ResolvedConfig, type RunDescription} from 'mlps'
import {LIMITS, formatBytes, formatCount, type LifecycleOutcome, type Registry} from 'mlps/unstable'
import {buildDatagenArgv} from '../../datagen-argv.js'
import {samplesPerFileParam} from '../../datagen-params.js'
import {calculateDatasize, FILES_PER_SUBFOLDER} from '../../datasize.js'
import {acceleratorFlag, dataDirFlag, modelFlag, newParamFlag, paramFlag} from '../../training-flags.js'
import {requireAccelerator, resolveWorkload, trainingOptions} from '../../training-inputs.js'

/** The datasize answer, as `--json` prints it (beside the run record). */
export interface DatasizeSummary {
  model: string
  accelerator: string
  numFilesTrain: number
  numSubfoldersTrain: number
  totalDiskBytes: number
  dominatedBy: 'memory' | 'steps'
  filesByMemory: number
  filesBySteps: number
  recordLengthBytes: number
  fileBytes: number
  accelerators: number
  hostMemoryBytes: number[]
  totalMemoryBytes: number
  memorySource: 'flag' | 'config' | 'measured'
  datagen: {argv: string[]}
}

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1', hostname()])

export default class TrainingDatasize extends BenchmarkCommand<typeof TrainingDatasize> {
  static summary = 'Size the training dataset: how many files, how much disk, and the datagen command'
  static description = 'files = max(ceil(5 × total client memory / file size), ceil(500 × accelerators × batch size / samples per file)), where total client memory is the sum over all client hosts. Records a datasize leaf in the results tree, which later checks compare runs against.'
  static examples = [
    '<%= config.bin %> training datasize --model unet3d --accelerator-type b200 --max-accelerators 8 --client-host-memory-in-gb 512',
    '<%= config.bin %> training datasize -m retinanet -g mi355 --max-accelerators 64 --client-host-memory-in-gb 768 --num-client-hosts 8 --json',
  ]
  static flags = {
    model: modelFlag,
    'accelerator-type': acceleratorFlag,
    'max-accelerators': Flags.integer({description: 'the most emulated accelerators the dataset must serve, across all hosts', required: true, min: 1, max: LIMITS.ranks}),
    'client-host-memory-in-gb': Flags.integer({description: 'memory of each client host in GiB (default: measured on this host)', min: 1, max: LIMITS.hostMemoryGiB}),
    'num-client-hosts': Flags.integer({description: 'number of client hosts (default: the number of --hosts)', min: 1, max: LIMITS.hosts}),
    'data-dir': dataDirFlag,
    param: paramFlag,
    'new-param': newParamFlag,
  }

  protected readonly benchmark = 'training'
  protected readonly commandName = 'datasize'

  async run(): Promise<BenchmarkCommandResult & Partial<DatasizeSummary>> {
    const result = await super.run()
    return {...(result.record.extra.datasize as DatasizeSummary | undefined), ...result}
  }

  protected async describeRun(flags: BenchmarkCommandFlags<typeof TrainingDatasize>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const options = trainingOptions(resolved)
    const {model} = flags
    const accelerator = requireAccelerator(flags['accelerator-type'], options)
    const params = flags.param ?? []
    const {workload, userOverrides} = resolveWorkload(model, accelerator, params, flags['new-param'] ?? [])
    const accelerators = flags['max-accelerators']
    const hosts = resolved.config.hosts
    return {
      model,
      accelerator,
      numProcesses: accelerators,
      userOverrides,
      parameters: workload,
      execute: async ctx => {
        const memory = hostMemory(ctx.hosts, flags['num-client-hosts'], flags['client-host-memory-in-gb'], options.clientHostMemoryGiB)
        const size = calculateDatasize({model, accelerator, workload, accelerators, hostMemoryBytes: memory.perHost})
        const argv = buildDatagenArgv(size, {
          hosts: resolved.sources.get('hosts') ? hosts : undefined,
          dataDir: flags['data-dir'] ?? options.dataDir,
          resultsDir: resolved.sources.get('resultsDir') ? resolved.config.resultsDir : undefined,
          params: [...params, ...samplesPerFileParam(model, workload.dataset.num_samples_per_file, params)],
        })
        const summary: DatasizeSummary = {
          model, accelerator,
          numFilesTrain: size.numFilesTrain,
          numSubfoldersTrain: size.numSubfoldersTrain,
          totalDiskBytes: Number(size.totalDiskBytes),
          dominatedBy: size.dominatedBy,
          filesByMemory: size.filesByMemory,
          filesBySteps: size.filesBySteps,
          recordLengthBytes: size.recordLengthBytes,
          fileBytes: size.fileBytes,
          accelerators,
          hostMemoryBytes: memory.perHost,
          totalMemoryBytes: Number(size.totalMemoryBytes),
          memorySource: memory.source,
          datagen: {argv},
        }
        const effective = ctx.record.parameters.effective as {dataset?: Record<string, unknown>}
        if (effective.dataset) {
          effective.dataset.num_files_train = size.numFilesTrain
          effective.dataset.num_subfolders_train = size.numSubfoldersTrain
          effective.dataset.total_disk_bytes = summary.totalDiskBytes
        }
        return {
          status: 'COMPLETED',
          metrics: {numFilesTrain: size.numFilesTrain, numSubfoldersTrain: size.numSubfoldersTrain, totalDiskBytes: summary.totalDiskBytes, totalMemoryBytes: summary.totalMemoryBytes},
          extra: {datasize: summary},
        }
      },
    }
  }

  protected report(outcome: LifecycleOutcome): void {
    const size = outcome.record.extra.datasize as DatasizeSummary | undefined
    if (!size) return super.report(outcome)
    const rule = size.dominatedBy === 'memory'
      ? `dataset ≥ 5 × client memory (${formatBytes(size.totalMemoryBytes)} over ${size.hostMemoryBytes.length} host${size.hostMemoryBytes.length > 1 ? 's' : ''}, ${size.memorySource})`
      : `≥ 500 steps per epoch for ${size.accelerators} accelerators`
    this.say(`${size.model} on ${size.accelerator}, ${size.accelerators} accelerators:`)
    this.say(`  training files:      ${formatCount(size.numFilesTrain)} (by memory ${formatCount(size.filesByMemory)}, by steps ${formatCount(size.filesBySteps)}; dominated by ${rule})`)
    this.say(`  disk needed:         ${formatBytes(size.totalDiskBytes)} (${formatCount(size.totalDiskBytes)} bytes)`)
    if (size.numSubfoldersTrain > 0) {
      this.say(`  subfolders:          ${size.numSubfoldersTrain} (keeps folders near ${formatCount(FILES_PER_SUBFOLDER)} files; some filesystems slow down with more)`)
    }
    this.say(`  generate it with:    ${size.datagen.argv.map(shellQuote).join(' ')}`)
    if (outcome.leaf) this.say(`  datasize leaf:       ${outcome.leaf}`)
  }
}

function hostMemory(hosts: HostSlot[], numClientHosts: number | undefined, flagGiB: number | undefined, configGiB: number | undefined): {perHost: number[]; source: DatasizeSummary['memorySource']} {
  const count = numClientHosts ?? hosts.length
  const giB = flagGiB ?? configGiB
  if (giB !== undefined) return {perHost: Array.from({length: count}, () => giB * 2 ** 30), source: flagGiB === undefined ? 'config' : 'flag'}
  if (count === 1 && LOCAL_NAMES.has(hosts[0].name)) return {perHost: [totalmem()], source: 'measured'}
  throw new MlpsError(`cannot measure the memory of ${count} client host${count > 1 ? 's' : ''} from here`, {
    where: '--client-host-memory-in-gb', fix: 'pass --client-host-memory-in-gb with the memory of each client host',
  })
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`
}

import type {TrainingRunOptions} from '@mlps/run-options'
import {BenchmarkCommand, type BenchmarkCommandFlags, Flags, type ResolvedConfig, type RunDescription} from 'mlps'
import {LIMITS, type Registry} from 'mlps/unstable'
import {acceleratorFlag, dataDirFlag, dlioBinFlag, engineFlag, modelFlag, newParamFlag, paramFlag} from '../../training-flags.js'
import {placeDataset, requireAccelerator, resolveWorkload, trainingOptions} from '../../training-inputs.js'

export default class TrainingRun extends BenchmarkCommand<typeof TrainingRun> {
  static summary = 'Run a training workload: emulated accelerators read the dataset and compute'
  static description = 'Runs the workload of --model on --accelerator-type with --num-accelerators emulated accelerators, reading <data-dir>/<model>/train/. The native engine (the default) needs nothing else installed; its results are labelled native and are never CLOSED.'
  static examples = [
    '<%= config.bin %> training run --model unet3d --accelerator-type b200 --num-accelerators 8 --data-dir /mnt/sut',
    '<%= config.bin %> training run -m unet3d -g h100 --num-accelerators 2 --data-dir /tmp/data --param dataset.num_files_train=64 --param train.epochs=2',
    '<%= config.bin %> training run -m unet3d -g b200 --num-accelerators 8 --data-dir /mnt/sut --engine dlio --dry-run --json',
  ]
  static flags = {
    model: modelFlag,
    'accelerator-type': acceleratorFlag,
    'num-accelerators': Flags.integer({char: 'n', description: 'emulated accelerators across all hosts (MPI ranks)', required: true, min: 1, max: LIMITS.ranks}),
    'data-dir': dataDirFlag,
    param: paramFlag,
    'new-param': newParamFlag,
    engine: engineFlag,
    'dlio-bin': dlioBinFlag,
    'client-host-memory-in-gb': Flags.integer({description: 'memory of each client host in GiB, used by the caching checks when it cannot be measured', min: 1, max: LIMITS.hostMemoryGiB}),
    'drop-caches': Flags.boolean({description: 'drop the page cache before each epoch (needs root)'}),
  }

  protected readonly benchmark = 'training'
  protected readonly commandName = 'run'

  protected async describeRun(flags: BenchmarkCommandFlags<typeof TrainingRun>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const options = trainingOptions(resolved)
    const {model} = flags
    const accelerator = requireAccelerator(flags['accelerator-type'], options)
    const {workload, baseWorkload, workloadName, userOverrides} = resolveWorkload(model, accelerator, flags.param ?? [], flags['new-param'] ?? [])
    const {dataFolder, toolInjected} = placeDataset(workload, model, flags['data-dir'], options)
    const memoryGiB = flags['client-host-memory-in-gb'] ?? options.clientHostMemoryGiB
    const runOptions: TrainingRunOptions = {
      workload, baseWorkload, workloadName, dlioBin: flags['dlio-bin'], dataFolder, dropCaches: flags['drop-caches'],
      clientHostMemoryBytes: memoryGiB ? memoryGiB * 2 ** 30 : undefined,
    }
    return {
      model,
      accelerator,
      engine: flags.engine ?? options.engine,
      numProcesses: flags['num-accelerators'],
      userOverrides,
      toolInjected,
      options: runOptions,
      parameters: workload,
    }
  }
}

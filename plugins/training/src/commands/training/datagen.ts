import {availableParallelism} from 'node:os'
import type {DlioDataset, TrainingRunOptions} from '@mlps/run-options'
import {BenchmarkCommand, type BenchmarkCommandFlags, Flags, type PlannedWrite, type ResolvedConfig, type RunDescription} from 'mlps'
import {LIMITS, type Registry} from 'mlps/unstable'
import {dataDirFlag, dlioBinFlag, engineFlag, modelFlag, newParamFlag, paramFlag} from '../../training-flags.js'
import {placeDataset, resolveWorkload, trainingOptions} from '../../training-inputs.js'

export default class TrainingDatagen extends BenchmarkCommand<typeof TrainingDatagen> {
  static summary = 'Generate the dataset a training workload reads'
  static description = 'Writes dataset.num_files_train files for --model into <data-dir>/<model>/train/ (in subfolders when dataset.num_subfolders_train is set), in the model\'s format. Size the dataset first with `mlps training datasize`, which prints this command. Re-running with the native engine resumes: files already at their planned size are kept; with --engine dlio every file is written again (DLIO does not resume), and DLIO reports progress file by file only at DLIO_LOG_LEVEL=info (engines.dlio.env).'
  static examples = [
    '<%= config.bin %> training datagen --model unet3d --data-dir /mnt/sut --param dataset.num_files_train=28000',
    '<%= config.bin %> training datagen -m retinanet --data-dir /mnt/sut --num-accelerators 16 --param dataset.num_files_train=8511284 --param dataset.num_subfolders_train=852',
  ]
  static flags = {
    model: modelFlag,
    'num-accelerators': Flags.integer({char: 'n', description: 'parallel writers (MPI ranks for dlio); defaults to the number of CPUs', min: 1, max: LIMITS.ranks, aliases: ['num-processes']}),
    'data-dir': dataDirFlag,
    param: paramFlag,
    'new-param': newParamFlag,
    engine: engineFlag,
    'dlio-bin': dlioBinFlag,
  }

  protected readonly benchmark = 'training'
  protected readonly commandName = 'datagen'

  protected async describeRun(flags: BenchmarkCommandFlags<typeof TrainingDatagen>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const options = trainingOptions(resolved)
    const {model} = flags
    const {workload, baseWorkload, workloadName, userOverrides} = resolveWorkload(model, 'datagen', flags.param ?? [], flags['new-param'] ?? [])
    const {dataFolder, toolInjected} = placeDataset(workload, model, flags['data-dir'], options)
    const runOptions: TrainingRunOptions = {workload, baseWorkload, workloadName, dlioBin: flags['dlio-bin'], dataFolder}
    return {
      model,
      engine: flags.engine ?? options.engine,
      numProcesses: flags['num-accelerators'] ?? availableParallelism(),
      userOverrides,
      toolInjected,
      options: runOptions,
      parameters: workload,
      plannedWrites: [datasetWrite(workload.dataset)],
    }
  }
}

/** The dataset at its nominal size (the sizing the plan uses), for the free-space check before datagen starts. */
function datasetWrite(dataset: DlioDataset): PlannedWrite {
  const files = dataset.num_files_train + (dataset.num_files_eval ?? 0)
  return {path: dataset.data_folder, bytes: files * dataset.num_samples_per_file * dataset.record_length_bytes, what: `the dataset (${files} files)`}
}

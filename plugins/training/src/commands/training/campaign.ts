import {CampaignCommand, type CampaignCommandFlags, type CampaignPlan, type CampaignStep, Flags, isObjectStorageUri, LIMITS, type ResolvedConfig} from 'mlps/unstable'
import {type DatasetOnDisk, datasetShortfall, listDataset} from '../../dataset-on-disk.js'
import {datagenParams, samplesPerFileParam} from '../../datagen-params.js'
import {acceleratorFlag, dataDirFlag, dlioBinFlag, engineFlag, modelFlag, paramFlag} from '../../training-flags.js'
import {placeDataset, requireAccelerator, resolveWorkload, trainingOptions} from '../../training-inputs.js'

/** R 2.1.17: the first invocation is the warm-up, five more are measured. */
const RUNS = 6

interface Sized {
  numFilesTrain: number
  numSubfoldersTrain: number
}

export default class TrainingCampaign extends CampaignCommand<typeof TrainingCampaign> {
  static summary = 'Run what the rules count for a training workload: datasize, datagen when needed, 1 warm-up + 5 runs'
  static description = 'Sizes the dataset (training datasize), generates it when <data-dir>/<model>/train/ is missing or holds fewer files than the runs read (training datagen), then runs the workload 6 times back to back (R 2.1.17, 2.1.18): run 1 of 6 is the warm-up. Each step is the single command with the same flags, with its own leaf and record; the record names its place ("run 3 of 6"). The campaign stops at the first step that does not complete and keeps its record in <results-dir>/.mlps/campaigns/<id>.json; the same command again continues from the first step not done, never reruns a finished one, and refuses other parameters. --param dataset.num_files_train (and num_subfolders_train) replace the sized values.'
  static examples = [
    '<%= config.bin %> training campaign --model unet3d --accelerator-type b200 --num-accelerators 8 --data-dir /mnt/sut --client-host-memory-in-gb 512',
    '<%= config.bin %> training campaign -m unet3d -g h100 -n 2 --data-dir /tmp/data --open --param dataset.num_files_train=64 --param dataset.record_length_bytes=1048576',
  ]
  static flags = {
    model: modelFlag,
    'accelerator-type': acceleratorFlag,
    'num-accelerators': Flags.integer({char: 'n', description: 'emulated accelerators across all hosts (MPI ranks); also the size the dataset is sized for and the datagen writers', required: true, min: 1, max: LIMITS.ranks}),
    'data-dir': dataDirFlag,
    param: paramFlag,
    engine: engineFlag,
    'dlio-bin': dlioBinFlag,
    'client-host-memory-in-gb': Flags.integer({description: 'memory of each client host in GiB, for the datasize and the caching checks (default: measured on this host)', min: 1, max: LIMITS.hostMemoryGiB}),
    'num-client-hosts': Flags.integer({description: 'number of client hosts the dataset is sized for (default: the number of --hosts)', min: 1, max: LIMITS.hosts}),
    'drop-caches': Flags.boolean({description: 'drop the page cache before each epoch (needs root)'}),
  }

  protected readonly benchmark = 'training'

  protected async plan(flags: CampaignCommandFlags<typeof TrainingCampaign>, resolved: ResolvedConfig): Promise<CampaignPlan> {
    const options = trainingOptions(resolved)
    const {model} = flags
    const accelerator = requireAccelerator(flags['accelerator-type'], options)
    const userParams = flags.param ?? []
    const given = (key: string) => userParams.some(param => param.startsWith(`${key}=`))
    let sized: Sized | undefined
    // the sized count and its subfolders go together: a user's file count keeps the workload's (or the user's) subfolders
    const runParams = (): string[] => {
      if (!sized) throw new Error('the run steps need the datasize step first')
      if (given('dataset.num_files_train')) return userParams
      return [
        ...userParams, `dataset.num_files_train=${sized.numFilesTrain}`,
        ...given('dataset.num_subfolders_train') ? [] : [`dataset.num_subfolders_train=${sized.numSubfoldersTrain}`],
      ]
    }
    // fails now, before anything runs, on a model/accelerator pair or a --param the workload does not have
    resolveWorkload(model, accelerator, userParams)

    const datasize: CampaignStep = {
      role: 'datasize', label: 'datasize', commandId: 'training:datasize', timingGroup: 'datasize',
      flags: () => ({'max-accelerators': flags['num-accelerators']}),
      absorb({record}) {
        const size = record.extra.datasize as Partial<Sized> | undefined
        if (typeof size?.numFilesTrain !== 'number' || typeof size.numSubfoldersTrain !== 'number') {
          throw new Error(`the datasize leaf's record has no extra.datasize.numFilesTrain/numSubfoldersTrain`)
        }
        sized = {numFilesTrain: size.numFilesTrain, numSubfoldersTrain: size.numSubfoldersTrain}
      },
    }
    const datagen: CampaignStep = {
      role: 'datagen', label: 'datagen', commandId: 'training:datagen', timingGroup: 'datagen',
      flags: () => {
        const params = runParams()
        const {workload} = resolveWorkload(model, accelerator, params)
        return {param: [...datagenParams(model, params), ...samplesPerFileParam(model, workload.dataset.num_samples_per_file, params)]}
      },
      async skipReason() {
        const {workload} = resolveWorkload(model, accelerator, runParams())
        const {dataFolder} = placeDataset(workload, model, flags['data-dir'], options)
        // a bucket is not listed to decide (50 M objects took 12 hours, storage#472): datagen runs and keeps what is there
        if (isObjectStorageUri(dataFolder)) return undefined
        const found: DatasetOnDisk = await listDataset(dataFolder, workload.dataset.format)
        const shortfall = datasetShortfall(found, workload.dataset.num_files_train, workload.dataset.num_subfolders_train ?? 0, dataFolder)
        return shortfall === undefined && !found.missing ? `${dataFolder}/train holds the ${found.files} files the runs read` : undefined
      },
    }
    const runs: CampaignStep[] = Array.from({length: RUNS}, (_, i) => ({
      role: i === 0 ? 'warmup' : 'run',
      label: i === 0 ? `run 1 of ${RUNS} (warm-up)` : `run ${i + 1} of ${RUNS}`,
      commandId: 'training:run',
      timingGroup: 'run',
      flags: () => ({param: runParams()}),
    }))
    return {model, accelerator, steps: [datasize, datagen, ...runs]}
  }
}

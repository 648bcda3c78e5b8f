import {CampaignCommand, type CampaignCommandFlags, type CampaignPlan, type CampaignStep, Flags, LIMITS, type ResolvedConfig} from 'mlps/unstable'
import {collectionFlags, datagenFlags, runFlags} from '../../vectordb-flags.js'
import {vectordbOptions} from '../../vectordb-inputs.js'

/** R 5.3.1: five run invocations per index. */
const RUNS = 5

export default class VectordbCampaign extends CampaignCommand<typeof VectordbCampaign> {
  static summary = 'Run what the rules count for a vector database index: datagen, then 5 runs, as one resumable campaign'
  static description = 'Loads the collection (vectordb datagen), then runs the queries 5 times back to back (R 5.3.1), each step the single command with the same flags and its own leaf; the records name their place ("run 2 of 5"). --batch-size is the run\'s (query vectors per request); --insert-batch-size is the datagen\'s. The campaign stops at the first step that does not complete and keeps its record in <results-dir>/.mlps/campaigns/<id>.json; the same command again continues from the first step not done and refuses other parameters.'
  static examples = [
    '<%= config.bin %> vectordb campaign --data-dir /mnt/sut/vdb --num-vectors 100000 --dimension 128 --num-query-processes 4 --runtime 30',
  ]
  static flags = {
    ...collectionFlags,
    ...datagenFlags,
    ...runFlags,
    'insert-batch-size': Flags.integer({description: 'datagen: vectors per insert [default: 1000]', min: 1, max: LIMITS.indexParameter}),
  }

  protected readonly benchmark = 'vectordb'

  protected async plan(flags: CampaignCommandFlags<typeof VectordbCampaign>, resolved: ResolvedConfig): Promise<CampaignPlan> {
    // the index the runs are filed under (vector_database/<backend>/<index>/), defaults resolved as the run resolves them
    const {options} = vectordbOptions('run', flags, resolved)
    const datagen: CampaignStep = {
      role: 'datagen', label: 'datagen', commandId: 'vectordb:datagen', timingGroup: 'datagen',
      // the campaign's --batch-size is the run's; the load has its own
      flags: () => ({'batch-size': flags['insert-batch-size']}),
    }
    const runs: CampaignStep[] = Array.from({length: RUNS}, (_, i) => ({
      role: 'run', label: `run ${i + 1} of ${RUNS}`, commandId: 'vectordb:run', timingGroup: 'run', flags: () => ({}),
    }))
    return {model: options.indexType, steps: [datagen, ...runs]}
  }
}

import type {DlioWorkload} from '@mlps/run-options'
import {Flags, MlpsCommand} from 'mlps'
import {loadConfig} from 'mlps/unstable'
import {acceleratorFlag, dataDirFlag, modelFlag, newParamFlag, paramFlag} from '../../training-flags.js'
import {placeDataset, requireAccelerator, resolveWorkload, trainingOptions} from '../../training-inputs.js'

export default class TrainingConfigview extends MlpsCommand {
  static summary = 'Print the effective training workload after --param overrides, without running anything'
  static examples = [
    '<%= config.bin %> training configview --model unet3d --accelerator-type b200',
    '<%= config.bin %> training configview -m resnet50 -g h100 --param reader.read_threads=16 --json',
  ]
  static flags = {
    model: modelFlag,
    'accelerator-type': acceleratorFlag,
    datagen: Flags.boolean({description: 'show the datagen workload instead of the run workload'}),
    'data-dir': dataDirFlag,
    param: paramFlag,
    'new-param': newParamFlag,
  }

  async run(): Promise<{model: string; workloadName: string; workload: DlioWorkload; userOverrides: Record<string, unknown>; toolInjected: Record<string, unknown>}> {
    const {flags} = await this.parse(TrainingConfigview)
    const options = trainingOptions(await loadConfig({configFile: flags.config}))
    const target = flags.datagen ? 'datagen' : requireAccelerator(flags['accelerator-type'], options)
    const {workload, userOverrides} = resolveWorkload(flags.model, target, flags.param ?? [], flags['new-param'] ?? [])
    const toolInjected = flags['data-dir'] || options.dataDir ? placeDataset(workload, flags.model, flags['data-dir'], options).toolInjected : {}
    const workloadName = `${flags.model}_${target}`
    if (!this.jsonEnabled()) {
      const {stringify} = await import('yaml')
      this.say(`# workload ${workloadName}${Object.keys(userOverrides).length > 0 ? `; overrides: ${Object.keys(userOverrides).join(', ')}` : ''}`)
      this.say(stringify(workload).trimEnd())
    }
    return {model: flags.model, workloadName, workload, userOverrides, toolInjected}
  }
}

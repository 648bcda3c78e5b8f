import {parse as parseYaml} from 'yaml'
import {MlpsCommand} from '../../command/mlps-command.js'
import {MlpsError} from '../../errors.js'
import {readSystemDescription} from '../../results/system-description.js'
import {missingDescription, resolveSystemTarget, systemTargetFlags} from '../../results/system-target-flags.js'

export default class SystemShow extends MlpsCommand {
  static summary = 'Print the system description (<division>/<org>/systems/<system>.yaml) of the configured system'
  static description = 'The first benchmark run for a system writes its description from the client hosts\' facts; `mlps system check` names what is still to fill in and how the hosts differ from it.'
  static examples = ['<%= config.bin %> system show', '<%= config.bin %> system show --results-dir results --system-name lab1 --json']
  static flags = systemTargetFlags

  async run(): Promise<{file: string; description: unknown}> {
    const {flags} = await this.parse(SystemShow)
    const {target} = await resolveSystemTarget(flags)
    const text = await readSystemDescription(target.file)
    if (text === undefined) throw missingDescription(target.file)
    let description: unknown
    try {
      description = parseYaml(text)
    } catch (error) {
      throw new MlpsError(`cannot be parsed: ${(error as Error).message}`, {where: target.file, fix: 'fix the YAML syntax'})
    }
    if (!this.jsonEnabled()) process.stdout.write(`# ${target.file}\n${text}`)
    return {file: target.file, description}
  }
}

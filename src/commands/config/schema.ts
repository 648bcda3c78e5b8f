import {configJsonSchema} from '../../config/schema.js'
import {MlpsCommand} from '../../command/mlps-command.js'

export default class ConfigSchema extends MlpsCommand {
  static summary = 'Print the JSON Schema of the config file, for editor completion'
  static description = 'Point your editor at it: "$schema" in JSON, or "# yaml-language-server: $schema=<file>" in YAML.'
  static examples = ['<%= config.bin %> config schema > mlps.schema.json']

  async run(): Promise<Record<string, unknown>> {
    await this.parse(ConfigSchema)
    const schema = configJsonSchema()
    if (!this.jsonEnabled()) process.stdout.write(JSON.stringify(schema, null, 2) + '\n')
    return schema
  }
}

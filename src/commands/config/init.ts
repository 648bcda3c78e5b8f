import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {configJsonSchema} from '../../config/schema.js'
import {starterConfig} from '../../config/starter.js'
import {MlpsError} from '../../errors.js'
import {writeFileAtomic} from '../../results/atomic-write.js'

export default class ConfigInit extends MlpsCommand {
  static summary = 'Write a commented starter config file (mlps.config.yaml) and its JSON Schema'
  static examples = ['<%= config.bin %> config init', '<%= config.bin %> config init --file site/mlps.config.yaml --force']
  static flags = {
    file: Flags.string({description: 'where to write the config', default: 'mlps.config.yaml'}),
    force: Flags.boolean({description: 'overwrite an existing file'}),
  }

  async run(): Promise<{file: string; schema: string}> {
    const {flags} = await this.parse(ConfigInit)
    const file = resolve(flags.file)
    if (existsSync(file) && !flags.force) {
      throw new MlpsError(`${file} already exists`, {where: '--file', fix: 'pass --force to overwrite it, or --file to pick another name'})
    }
    const schemaFile = resolve(file, '..', 'mlps.schema.json')
    await writeFileAtomic(schemaFile, JSON.stringify(configJsonSchema(), null, 2) + '\n')
    await writeFileAtomic(file, starterConfig())
    this.say(`wrote ${file} (and ${schemaFile} for editor completion)`)
    return {file, schema: schemaFile}
  }
}

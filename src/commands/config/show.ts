import {loadConfig} from '../../config/load-config.js'
import {flattenConfig} from '../../config/flatten.js'
import {checkConfigAgainstRegistry} from '../../config/registry-check.js'
import {getRegistry} from '../../registry/load-registry.js'
import {describeSource, sourceOf, type ValueSource} from '../../config/provenance.js'
import {MlpsCommand} from '../../command/mlps-command.js'

export default class ConfigShow extends MlpsCommand {
  static summary = 'Print the resolved configuration and where each value came from'
  static description = 'Values resolve as flag > MLPS_* environment > config file > default. The config file is found by searching from the working directory up (mlps.config.{yaml,yml,json,js,mjs,ts}, .mlpsrc*, package.json#mlps), then ~/.config/mlps/.'
  static examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --json', 'MLPS_RESULTS_DIR=/scratch/results <%= config.bin %> config show']

  async run(): Promise<{file: string | null; config: Record<string, unknown>; sources: Record<string, ValueSource & {text: string}>}> {
    const {flags} = await this.parse(ConfigShow)
    const resolved = await loadConfig({configFile: flags.config})
    checkConfigAgainstRegistry(resolved, await getRegistry(this.config))
    const rows = flattenConfig(resolved.config).filter(([key]) => key !== '$schema')
    const sources = Object.fromEntries(rows.map(([key]) => {
      const source = sourceOf(key, resolved.sources)
      return [key, {...source, text: describeSource(source)}]
    }))
    if (!this.jsonEnabled()) {
      this.say(`config file: ${resolved.file ?? '(none found; defaults and environment only)'}`)
      const width = Math.max(...rows.map(([key]) => key.length))
      for (const [key, value] of rows) {
        this.say(`${key.padEnd(width)}  ${JSON.stringify(value)}  (${sources[key].text})`)
      }
    }
    return {file: resolved.file ?? null, config: resolved.config, sources}
  }
}

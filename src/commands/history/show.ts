import {Args} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {historyEntry, historyFile, type NumberedEntry} from '../../history/history.js'

export default class HistoryShow extends MlpsCommand {
  static summary = 'Show one past invocation in full'
  static examples = ['<%= config.bin %> history show 12']
  static args = {
    number: Args.integer({description: 'entry number from `mlps history list`', required: true, min: 1}),
  }

  protected override recordInHistory = false

  async run(): Promise<NumberedEntry> {
    const {args} = await this.parse(HistoryShow)
    const entry = await historyEntry(historyFile(this.config.dataDir), args.number)
    if (!this.jsonEnabled()) {
      this.say(`#${entry.number}  ${entry.time}  (mlps ${entry.mlpsVersion})`)
      this.say(`  argv:     ${JSON.stringify(['mlps', ...entry.argv])}`)
      this.say(`  cwd:      ${entry.cwd}`)
      this.say(`  status:   ${entry.status}${entry.exitCode === undefined ? '' : `, exit ${entry.exitCode}`}${entry.durationSeconds === undefined ? '' : ` after ${entry.durationSeconds.toFixed(1)} s`}`)
      if (entry.leaf) this.say(`  run leaf: ${entry.leaf}`)
    }
    return entry
  }
}

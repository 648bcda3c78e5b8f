import {LIMITS} from '../../command/limits.js'
import {Flags} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {historyFile, type NumberedEntry, readHistory} from '../../history/history.js'

export default class HistoryList extends MlpsCommand {
  static summary = 'List past mlps invocations'
  static description = 'Every mlps command except `history` itself is recorded, with secrets redacted, in history.jsonl in the mlps data dir (MLPS_DATA_DIR).'
  static examples = ['<%= config.bin %> history list', '<%= config.bin %> history list --limit 5 --json']
  static flags = {
    limit: Flags.integer({description: 'show only the last N entries', min: 1, max: LIMITS.queries}),
  }

  protected override recordInHistory = false

  async run(): Promise<{file: string; entries: NumberedEntry[]}> {
    const {flags} = await this.parse(HistoryList)
    const file = historyFile(this.config.dataDir)
    const all = await readHistory(file)
    const entries = flags.limit ? all.slice(-flags.limit) : all
    if (!this.jsonEnabled()) {
      if (entries.length === 0) this.say(`no history yet (${file})`)
      for (const entry of entries) {
        this.say(`${String(entry.number).padStart(4)}  ${entry.time}  exit ${String(entry.exitCode).padEnd(3)}  mlps ${entry.argv.join(' ')}`)
      }
    }
    return {file, entries}
  }
}

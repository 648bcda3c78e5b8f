import {Flags} from '@oclif/core'
import {LIMITS} from '../../command/limits.js'
import {MlpsCommand} from '../../command/mlps-command.js'
import {MlpsError} from '../../errors.js'
import {HISTORY_STATUSES, historyFile, type NumberedEntry, readHistory} from '../../history/history.js'

/** `--since`/`--until`: a date (2026-12-01, a whole day in UTC) or an ISO time */
function parseWhen(flag: string, text: string, endOfDay: boolean): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text)
  const time = Date.parse(day ? `${text}T00:00:00Z` : text)
  if (Number.isNaN(time)) {
    throw new MlpsError(`${flag} ${JSON.stringify(text)} is not a date or time`, {where: flag, fix: `give a date (2026-12-01) or an ISO time (2026-12-01T14:30:00Z)`})
  }
  return day && endOfDay ? time + 86_400_000 - 1 : time
}

export default class HistoryList extends MlpsCommand {
  static summary = 'List past mlps invocations'
  static description = 'Every mlps command except `history` itself is recorded, with secrets redacted, in history.jsonl in the mlps data dir (MLPS_DATA_DIR): a line when it starts and one when it ends, so an invocation that was killed is still listed (status killed) and one still going says running.'
  static examples = ['<%= config.bin %> history list', '<%= config.bin %> history list --benchmark training --status failed --since 2026-12-01', '<%= config.bin %> history list --limit 5 --json']
  static flags = {
    limit: Flags.integer({description: 'show only the last N entries (after the filters)', min: 1, max: LIMITS.queries}),
    benchmark: Flags.string({description: 'only invocations of this benchmark (or command topic), e.g. training'}),
    status: Flags.string({description: 'only invocations that ended so', options: [...HISTORY_STATUSES]}),
    since: Flags.string({description: 'only invocations started at or after this date or time'}),
    until: Flags.string({description: 'only invocations started at or before this date or time'}),
  }

  protected override recordInHistory = false

  async run(): Promise<{file: string; entries: NumberedEntry[]}> {
    const {flags} = await this.parse(HistoryList)
    const file = historyFile(this.config.dataDir)
    const since = flags.since === undefined ? -Infinity : parseWhen('--since', flags.since, false)
    const until = flags.until === undefined ? Infinity : parseWhen('--until', flags.until, true)
    const matching = (await readHistory(file)).filter(entry => {
      const started = Date.parse(entry.time)
      return (flags.benchmark === undefined || entry.command.split(' ')[0] === flags.benchmark) &&
        (flags.status === undefined || entry.status === flags.status) && started >= since && started <= until
    })
    const entries = flags.limit ? matching.slice(-flags.limit) : matching
    if (!this.jsonEnabled()) {
      if (entries.length === 0) this.say(`no matching history (${file})`)
      for (const entry of entries) {
        const ending = entry.exitCode === undefined ? entry.status : `${entry.status} (exit ${entry.exitCode})`
        this.say(`${String(entry.number).padStart(4)}  ${entry.time}  ${ending.padEnd(20)}  mlps ${entry.argv.join(' ')}`)
      }
    }
    return {file, entries}
  }
}

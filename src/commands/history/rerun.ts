import {Args} from '@oclif/core'
import {MlpsCommand} from '../../command/mlps-command.js'
import {MlpsError} from '../../errors.js'
import {historyEntry, historyFile} from '../../history/history.js'
import {containsRedaction} from '../../history/redact.js'

export default class HistoryRerun extends MlpsCommand {
  static summary = 'Run a past invocation again, with exactly the same argv'
  static description = 'The recorded argv array is replayed as it is (no shell splitting) from the working directory it was run in. Entries whose secrets were redacted cannot be replayed.'
  static examples = ['<%= config.bin %> history rerun 12']
  static args = {
    number: Args.integer({description: 'entry number from `mlps history list`', required: true, min: 1}),
  }

  protected override recordInHistory = false

  async run(): Promise<void> {
    const {args} = await this.parse(HistoryRerun)
    const entry = await historyEntry(historyFile(this.config.dataDir), args.number)
    if (containsRedaction(entry.argv)) {
      throw new MlpsError(`entry ${entry.number} had secrets that were redacted, so it cannot be replayed exactly`, {fix: 'run the command again by hand'})
    }
    if (entry.argv[0] === 'history') throw new MlpsError('history commands are not replayed', {fix: 'pick another entry'})
    this.logger.info(`re-running #${entry.number}: mlps ${entry.argv.join(' ')}`)
    process.chdir(entry.cwd)
    const [first, ...rest] = entry.argv
    // the command id's words are joined the way oclif's space separator expects
    const id = this.config.findCommand(first) ? first : entry.command.replaceAll(' ', ':')
    const argv = this.config.findCommand(first) ? rest : entry.argv.slice(entry.command.split(' ').length)
    await this.config.runCommand(id, argv)
  }
}

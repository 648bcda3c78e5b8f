import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import {MlpsCommand} from './mlps-command.js'

/**
 * A command whose implementation has not landed yet. It says so and exits
 * 3; it never pretends to work.
 */
export abstract class UnavailableCommand extends MlpsCommand {
  /** what is missing, e.g. "the KV-cache benchmark" */
  protected abstract readonly capability: string

  async run(): Promise<never> {
    await this.parse()
    throw new MlpsError(`${this.capability} is not available in this version of mlps`, {
      exitCode: ExitCode.EnvironmentNotReady,
      fix: 'watch the release notes, or install a plugin that provides it (mlps plugins install ...)',
    })
  }
}

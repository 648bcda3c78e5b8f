import {ExitCode} from './exit-codes.js'

/**
 * An error meant for the user: what went wrong, where (file, flag or key),
 * and how to fix it. The exit code travels with it so `--json` keeps it.
 */
export class MlpsError extends Error {
  readonly exitCode: ExitCode
  readonly fix?: string
  readonly where?: string

  constructor(message: string, options: {exitCode?: ExitCode; fix?: string; where?: string; cause?: unknown} = {}) {
    super(message, {cause: options.cause})
    this.name = 'MlpsError'
    this.exitCode = options.exitCode ?? ExitCode.BadInput
    this.fix = options.fix
    this.where = options.where
  }

  /** The full text shown to a person: location, problem, then the fix. */
  render(): string {
    const head = this.where ? `${this.where}: ${this.message}` : this.message
    return this.fix ? `${head}\n  fix: ${this.fix}` : head
  }
}

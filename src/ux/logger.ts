import {redactText} from '../util/redact-secrets.js'

/** Human messages. They always go to stderr so stdout stays clean for --json. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  /** only with --verbose / MLPS_VERBOSE */
  debug(message: string): void
}

export function createLogger(options: {quiet?: boolean; verbose?: boolean} = {}): Logger {
  const write = (text: string) => process.stderr.write(redactText(text) + '\n')
  return {
    info: message => { if (!options.quiet) write(message) },
    warn: message => write(`warning: ${message}`),
    debug: message => { if (options.verbose) write(`debug: ${message}`) },
  }
}

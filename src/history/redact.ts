import {isSecretKey, REDACTED, redactText} from '../util/redact-secrets.js'

export {REDACTED} from '../util/redact-secrets.js'

/**
 * Replace the values of secret-looking flags, `--param` keys and URI
 * passwords, so that no password or key reaches history or a run record.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.indexOf('=')
    if (eq > 0 && isSecretKey(arg.slice(0, eq).trim())) {
      out.push(`${arg.slice(0, eq)}=${REDACTED}`)
    } else if (arg.startsWith('-') && eq < 0 && isSecretKey(arg) && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      out.push(arg, REDACTED)
      i++
    } else {
      out.push(redactText(arg))
    }
  }
  return out
}

export function containsRedaction(argv: readonly string[]): boolean {
  return argv.some(arg => arg === REDACTED || arg.includes(REDACTED))
}

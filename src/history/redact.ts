const SECRET_NAME = /pass(word|wd)?|secret|token|api[-_]?key|access[-_]?key|credential|private[-_]?key/i
export const REDACTED = '***'

/**
 * Replace the values of secret-looking flags and `--param` keys, so that no
 * password or key reaches history or a run record.
 */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.indexOf('=')
    if (arg.startsWith('-') && eq > 0 && SECRET_NAME.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=${REDACTED}`)
    } else if (arg.startsWith('-') && eq < 0 && SECRET_NAME.test(arg) && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      out.push(arg, REDACTED)
      i++
    } else if (!arg.startsWith('-') && eq > 0 && SECRET_NAME.test(arg.slice(0, eq))) {
      out.push(`${arg.slice(0, eq)}=${REDACTED}`)
    } else {
      out.push(arg)
    }
  }
  return out
}

export function containsRedaction(argv: readonly string[]): boolean {
  return argv.some(arg => arg === REDACTED || arg.endsWith(`=${REDACTED}`))
}

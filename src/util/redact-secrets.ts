/**
 * The one redaction rule of mlps. A value is secret when its key names a
 * secret, key, token, password or credential, or when it is the password of
 * a URI's userinfo (`http://user:pass@host`). Whatever mlps writes or prints
 * (run records, --json, findings, history, reports) passes through here; the
 * engine is handed the original values.
 */
export const REDACTED = '***'

// "credentials" (plural) is left out: such keys name where credentials come from (a file, variables), not one
// "pass" alone is left out too: it is a round of a benchmark far more often than a password
const SECRET_WORDS = new Set(['secret', 'token', 'password', 'passwd', 'pwd', 'passphrase', 'credential', 'apikey'])

/** Words of a key: `storage_options.secret_key`, `secretKey`, `AWS-Secret-Access-Key` all give "secret" and "key". */
function keyWords(name: string): string[] {
  return name.replaceAll(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)
}

/**
 * Whether the last segment of a dotted key names a secret. "key" counts at the end of a longer name only
 * (`secret_key`, `accessKey`, `access_key_id`), so that `strictHostKeyChecking` or `key` are no secrets.
 */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key.replace(/^-+/, '').split('.').at(-1) ?? '')
  // a bare "key" is the name of something (a parameter's key), a secret_key or accessKey is not
  const keyAtEnd = words.length > 1 && (words.at(-1) === 'key' || (words.at(-2) === 'key' && words.at(-1) === 'id'))
  // "per token" is a unit (bytesPerToken), not a token
  return keyAtEnd || words.some((word, index) => SECRET_WORDS.has(word) && words[index - 1] !== 'per')
}

/** A key spelt as a path or of several words, so that prose such as "expected key=value" is left alone. */
function isCompoundSecretKey(key: string): boolean {
  return /[._-]|[a-z][A-Z]/.test(key) && isSecretKey(key)
}

// values seen on the command line (or in config) under secret keys, scrubbed from any text that quotes them
const knownSecrets = new Set<string>()

/** Remember a secret value so that text quoting it (an engine's error, a finding) is scrubbed too. */
export function rememberSecret(value: unknown): void {
  // a one- or two-character value would scrub ordinary text; such a value is no secret worth the name anyway
  if (typeof value === 'string' && value.length >= 3) knownSecrets.add(value)
}

/** Remember the secrets an argv carries: `--param a.secret_key=v`, `--token v`, `--uri http://u:p@h`. */
export function rememberArgvSecrets(argv: readonly string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    for (const match of arg.matchAll(URI_USERINFO)) rememberSecret(decodeSafe(match[3]))
    const assignment = arg.replace(/^-+/, '')
    const eq = assignment.indexOf('=')
    if (eq > 0) {
      // `--param key=value`: the key is the text before the first "="
      if (isSecretKey(assignment.slice(0, eq).trim())) rememberSecret(assignment.slice(eq + 1))
    } else if (arg.startsWith('--') && isSecretKey(arg) && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      rememberSecret(argv[i + 1])
    }
  }
}

/** Remember every value held under a secret key in a config object. */
export function rememberObjectSecrets(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if (key && isSecretKey(key)) rememberSecret(value)
    for (const match of value.matchAll(URI_USERINFO)) rememberSecret(decodeSafe(match[3]))
  } else if (Array.isArray(value)) {
    for (const item of value) rememberObjectSecrets(item, key)
  } else if (value !== null && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) rememberObjectSecrets(item, name)
  }
}

// scheme://user:password@ — the user is kept, the password is not
const URI_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]*):([^\s/@]*)@/gi
// key=value or key: value where the key names a secret, as engines and argv spell them
const SECRET_ASSIGNMENT = /([A-Za-z0-9_.+-]+)(\s*[=:]\s*)("?)([^\s"',;}]+)/g

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function escapeRegExp(text: string): string {
  return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Text with URI passwords, `secret_key=...` assignments and every remembered secret value replaced by ***. */
export function redactText(text: string): string {
  let out = text.replaceAll(URI_USERINFO, (_all, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
  out = out.replaceAll(SECRET_ASSIGNMENT, (all, key: string, sep: string, quote: string, value: string) =>
    isCompoundSecretKey(key.replace(/^\++/, '')) && value !== REDACTED ? `${key}${sep}${quote}${REDACTED}` : all)
  if (knownSecrets.size > 0) {
    // longest first, so a secret that contains another is replaced whole
    const values = [...knownSecrets].sort((a, b) => b.length - a.length)
    out = out.replaceAll(new RegExp(values.map(value => escapeRegExp(value)).join('|'), 'g'), REDACTED)
    for (const value of values) out = out.replaceAll(encodeURIComponent(value), REDACTED)
  }
  return out
}

/** A deep copy with secret keys' values replaced and every string passed through redactText. */
export function redactSecrets<T>(value: T): T {
  return redactAny(value, '') as T
}

function redactAny(value: unknown, key: string): unknown {
  if (typeof value === 'string') return key && isSecretKey(key) ? REDACTED : redactText(value)
  if (key && isSecretKey(key) && (typeof value === 'number' || typeof value === 'boolean')) return REDACTED
  if (Array.isArray(value)) return value.map(item => redactAny(item, ''))
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redactAny(item, name)]))
  }
  return value
}

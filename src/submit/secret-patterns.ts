/** Text that is a credential whatever surrounds it. */
const CREDENTIALS: Array<{what: string; pattern: RegExp}> = [
  {what: 'a private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----/},
  {what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/},
  {what: 'a GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/},
  {what: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/},
  {what: 'a JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/},
  {what: 'a URL with a password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"']+:[^\s/@"']+@/i},
]

/** `password = ...`, `"aws_secret_access_key": "..."`, `MILVUS_TOKEN=...`: a secret-named key with a value. */
const ASSIGNMENT = /([\w.-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?))(?![\w])["']?\s*[:=]\s*["']?([^\s"',;}\]]+)/gi
/** keys that name a figure about tokens or secrets, not one: per_token, num_tokens, max_token ... */
const FIGURE_KEY = /per_|num|count|bytes|total|max|min|len|size|limit/i
/** code, not a value: a call, an index, a dotted name */
const CODE = /[([]|^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/
/** values that are no secret: redactions, references, switches and figures */
const HARMLESS = /^(?:\*+|<[^>]*>|\[?redacted\]?|\$\{?\w+\}?|null|none|true|false|-?[\d.e+-]+|x+)$/i
const MIN_SECRET_LENGTH = 8

export interface SecretHit {
  what: string
  line: number
  /** the match with its value masked, for messages that must not repeat it */
  masked: string
}

const mask = (text: string) => text.length <= 4 ? '****' : `${text.slice(0, 4)}${'*'.repeat(Math.min(text.length - 4, 12))}`

/** Everything in a text that looks like a credential, masked. */
export function findSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = []
  const lines = text.split('\n')
  lines.forEach((line, index) => {
    for (const {what, pattern} of CREDENTIALS) {
      const match = pattern.exec(line)
      if (match) hits.push({what, line: index + 1, masked: mask(match[0])})
    }
    for (const match of line.matchAll(ASSIGNMENT)) {
      const [, key, value] = match
      if (value.length < MIN_SECRET_LENGTH || HARMLESS.test(value) || FIGURE_KEY.test(key) || CODE.test(value)) continue
      hits.push({what: `a value for "${key}"`, line: index + 1, masked: `${key}=${mask(value)}`})
    }
  })
  return hits
}

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
const ASSIGNMENT = /(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)(?![\w])["']?\s*[:=]\s*["']?([^\s"',;}\]]+)/gi
/** the rest of the key before the secret's name (aws_ of aws_secret_access_key), read backwards: a leading [\w.-]* would backtrack at every character */
const KEY_CHARACTER = /[\w.-]/
function keyBefore(text: string, index: number): string {
  let start = index
  while (start > 0 && KEY_CHARACTER.test(text[start - 1])) start--
  return text.slice(start, index)
}
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

const lineAt = (text: string, index: number) => {
  let line = 1
  for (let at = text.indexOf('\n'); at >= 0 && at < index; at = text.indexOf('\n', at + 1)) line++
  return line
}

/** Everything in a text that looks like a credential, masked; each pattern runs once over the whole text. */
export function findSecrets(text: string): SecretHit[] {
  const hits: Array<SecretHit & {index: number}> = []
  for (const {what, pattern} of CREDENTIALS) {
    for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))) {
      hits.push({what, index: match.index, line: 0, masked: mask(match[0])})
    }
  }
  for (const match of text.matchAll(ASSIGNMENT)) {
    const value = match[1]
    const key = keyBefore(text, match.index) + match[0].slice(0, match[0].search(/["'\s:=]/))
    if (value.length < MIN_SECRET_LENGTH || HARMLESS.test(value) || FIGURE_KEY.test(key) || CODE.test(value)) continue
    hits.push({what: `a value for "${key}"`, index: match.index, line: 0, masked: `${key}=${mask(value)}`})
  }
  return hits.sort((a, b) => a.index - b.index).map(({index, ...hit}) => ({...hit, line: lineAt(text, index)}))
}

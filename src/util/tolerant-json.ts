/**
 * Parse JSON that Python's json.dump wrote: it allows NaN, Infinity and
 * -Infinity literals, which JSON.parse rejects (the Python engines write NaN
 * for statistics of nothing; engines.md §2.8). They become null, so a missing
 * figure reads as missing, never as a number.
 */
export function parseTolerantJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return JSON.parse(replaceNonFiniteLiterals(text))
  }
}

function replaceNonFiniteLiterals(text: string): string {
  let out = ''
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (inString) {
      out += char
      if (char === '\\') out += text[++i] ?? ''
      else if (char === '"') inString = false
      continue
    }
    if (char === '"') {
      inString = true
      out += char
      continue
    }
    const literal = ['-Infinity', 'Infinity', 'NaN'].find(word => text.startsWith(word, i))
    if (literal) {
      out += 'null'
      i += literal.length - 1
      continue
    }
    out += char
  }
  return out
}

import {MlpsError} from '../errors.js'
import type {RulesEdition} from './definitions.js'

/** Edit distance where swapping two neighbours counts once (optimal string alignment), case-insensitive. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  const d = Array.from({length: x.length + 1}, (_, i) => Array.from({length: y.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[x.length][y.length]
}

/** The known name closest to `name`, when it is close enough to be a typo of it. */
export function nearestName(name: string, known: readonly string[]): string | undefined {
  const scored = known.map(candidate => ({candidate, score: distance(name, candidate)})).sort((a, b) => a.score - b.score)
  const best = scored[0]
  return best && best.score <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined
}

/** The readings an edition accepts: its schema's keys, else the keys it gives defaults for. */
function knownOptions(edition: RulesEdition): string[] {
  return Object.keys(edition.optionsSchema?.shape ?? edition.options ?? {})
}

/**
 * The edition's readings with the user's `--option key=value` on top: an
 * unknown key (a typo, or an option of another edition) or a value its
 * schema refuses is bad input naming the known options, never ignored.
 */
export function editionOptions(edition: RulesEdition, given: Readonly<Record<string, string>>): Record<string, unknown> {
  const known = knownOptions(edition)
  const listed = known.length > 0 ? `edition ${edition.name} reads: ${known.join(', ')}` : `edition ${edition.name} takes no --option`
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue
    const nearest = nearestName(key, known)
    throw new MlpsError(`rules edition ${edition.name} has no option "${key}"${nearest ? `; did you mean ${nearest}?` : ''}`, {
      where: `--option ${key}=${given[key]}`, fix: nearest ? `write --option ${nearest}=${given[key]} (${listed})` : listed,
    })
  }
  if (!edition.optionsSchema) return {...edition.options, ...given}
  const parsed = edition.optionsSchema.partial().safeParse(given)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const key = String(issue.path[0] ?? '')
    throw new MlpsError(`${issue.message}`, {where: `--option ${key}=${given[key] ?? ''}`, fix: `give ${key} a value edition ${edition.name} accepts (${listed})`})
  }
  return {...edition.options, ...parsed.data}
}

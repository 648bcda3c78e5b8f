import type {HeadlineOutput} from 'mlps'

/**
 * The headline of a write/read pair: the write's figures, then the read's
 * (with the gap), under the pair's status and category; a rule that decided
 * both invocations is one line.
 */
export function pairHeadline(write: HeadlineOutput | undefined, read: HeadlineOutput | undefined, status: HeadlineOutput['status'], category: HeadlineOutput['category']): HeadlineOutput | undefined {
  const parts = [write, read].filter((part): part is HeadlineOutput => part !== undefined)
  if (parts.length === 0) return undefined
  const deciding = new Map(parts.flatMap(part => part.deciding).map(rule => [rule.ruleId, rule]))
  const warnings = parts.flatMap(part => part.warnings ?? [])
  const measuredSoFar = parts.at(-1)?.measuredSoFar
  return {
    status, category,
    sections: parts.flatMap(part => part.sections),
    deciding: [...deciding.values()],
    ...(warnings.length > 0 ? {warnings} : {}),
    ...(measuredSoFar ? {measuredSoFar} : {}),
  }
}

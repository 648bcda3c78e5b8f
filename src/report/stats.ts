/** Arithmetic mean; undefined for an empty list (never 0: a blank is not a zero, rules.md §4 item 27). */
export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  let sum = 0
  for (const value of values) sum += value
  return sum / values.length
}

/** Population standard deviation (ddof = 0), as the engines and the v1.0 report.py (np.std) compute it. */
export function populationStdev(values: readonly number[]): number | undefined {
  const average = mean(values)
  if (average === undefined) return undefined
  let squares = 0
  for (const value of values) squares += (value - average) ** 2
  return Math.sqrt(squares / values.length)
}

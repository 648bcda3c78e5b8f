/**
 * What to do about a run no CLOSED submission can hold because its engine is an emulation: run the
 * benchmark's own official engines (those installed that may give CLOSED results), named, since
 * "the official one" differs per benchmark, a third party's included: each plugin declares its own.
 */
export function officialEngineFix(benchmark: string | undefined, officialEngines: readonly string[] | undefined): string {
  const what = benchmark ?? 'the benchmark'
  if (!officialEngines || officialEngines.length === 0) {
    return `no installed engine of ${what} can give CLOSED results: install the plugin of its official engine for a CLOSED submission`
  }
  return `run ${what} with ${officialEngines.map(name => `--engine ${name}`).join(' or ')} (its official engine${officialEngines.length === 1 ? '' : 's'}) for a CLOSED submission`
}

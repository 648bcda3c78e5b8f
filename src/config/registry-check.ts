import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {Registry} from '../registry/registry.js'
import {nearestName} from '../util/nearest-name.js'
import type {ResolvedConfig} from './load-config.js'
import {describeSource, sourceOf} from './provenance.js'

/**
 * The config's values that only the installed plugins can judge: the rules
 * edition, the names under `benchmarks` and `engines`, and each of those
 * sections against its plugin's schema. Checked wherever the config is read,
 * whether or not a flag overrides the value, so a typo never lies in wait.
 */
export function checkConfigAgainstRegistry(resolved: ResolvedConfig, registry: Registry): void {
  const problems: string[] = []
  const problem = (path: string, message: string, fix: string) => {
    problems.push(`  ${path} (from ${describeSource(sourceOf(path, resolved.sources))}): ${message}\n    fix: ${fix}`)
  }
  const oneOf = (names: Iterable<string>) => [...names].map(name => JSON.stringify(name)).join(', ')
  const suggest = (name: string, names: Iterable<string>) => {
    const nearest = nearestName(name, names)
    return nearest ? `did you mean "${nearest}"? ` : ''
  }

  const edition = resolved.config.rulesEdition
  if (registry.rulesEditions.size > 0 && !registry.rulesEditions.has(edition)) {
    problem('rulesEdition', `no rules edition "${edition}" is installed`, `${suggest(edition, registry.rulesEditions.keys())}use one of ${oneOf(registry.rulesEditions.keys())}`)
  }
  for (const [group, known] of [['benchmarks', registry.benchmarks], ['engines', registry.engines]] as const) {
    for (const [name, section] of Object.entries(resolved.config[group])) {
      const contributed = known.get(name)
      if (!contributed) {
        problem(`${group}.${name}`, `no ${group === 'benchmarks' ? 'benchmark' : 'engine'} "${name}" is installed`, `${suggest(name, known.keys())}use one of ${oneOf(known.keys())}, or remove the section`)
        continue
      }
      const schema = contributed.definition.optionsSchema
      const parsed = schema?.safeParse(section)
      for (const issue of parsed && !parsed.success ? parsed.error.issues : []) {
        problem([group, name, ...issue.path.map(String)].join('.'), issue.message, `correct it; \`mlps ${group === 'benchmarks' ? `${name} --help` : 'config schema'}\` lists what it takes`)
      }
    }
  }
  if (problems.length > 0) {
    throw new MlpsError(`invalid configuration:\n${problems.join('\n')}`, {
      exitCode: ExitCode.BadInput, where: resolved.file, fix: 'correct the keys above, in the config file or the MLPS_* environment',
    })
  }
}

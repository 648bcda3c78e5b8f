import {MlpsError} from '../errors.js'
import type {BenchmarkDefinition} from '../registry/definitions.js'

/** Where a failing option came from: its flag when the benchmark names one (a `--param` with the key under it). */
function optionSource(path: readonly PropertyKey[], flags: Readonly<Record<string, string>>): {option: string; flag?: string} {
  const option = path.map(String).join('.')
  // list indices are not part of a declared option path (passes.0.params.numUsers is passes.params.numUsers)
  const keys = path.filter((segment): segment is string => typeof segment === 'string')
  for (let length = keys.length; length > 0; length--) {
    const flag = flags[keys.slice(0, length).join('.')]
    if (flag) return {option, flag: length < keys.length ? `${flag} ${keys.slice(length).join('.')}` : flag}
  }
  return {option}
}

/**
 * Parse what a benchmark command hands its engine with the benchmark's
 * declared schema, before preflight. Returns the parsed options (so the
 * engines see exactly what the schema describes); every problem is named by
 * its option and flag, all at once, as bad input (exit 2).
 */
export function checkRunOptions(benchmark: BenchmarkDefinition, plugin: string, command: string, options: Record<string, unknown>): Record<string, unknown> {
  if (!benchmark.runOptionsSchema) return options
  const parsed = benchmark.runOptionsSchema.safeParse(options)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map(issue => ({...optionSource(issue.path, benchmark.runOptionFlags ?? {}), message: issue.message}))
  const lines = problems.map(p => `  ${p.flag ? `${p.flag} (option ${p.option || '(root)'})` : `option ${p.option || '(root)'}`}: ${p.message}`)
  const flags = [...new Set(problems.flatMap(p => p.flag ? [p.flag] : []))]
  const unflagged = problems.some(p => !p.flag)
  const fixes = [
    ...(flags.length > 0 ? [`correct ${flags.join(', ')} (\`mlps ${benchmark.name} ${command} --help\` lists the flags)`] : []),
    ...(unflagged ? [`an option no flag sets is the ${benchmark.name} command's own doing: report it to the plugin that provides it (${plugin})`] : []),
  ]
  throw new MlpsError(`the run options of ${benchmark.name} ${command} are not valid:\n${lines.join('\n')}`, {
    where: flags[0] ?? `${benchmark.name} ${command}`, fix: fixes.join('; '),
  })
}

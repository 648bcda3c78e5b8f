import type {Registry} from '../registry/registry.js'
import type {MlpsConfig} from '../config/schema.js'
import type {CheckRow} from './check.js'

/**
 * The engine each benchmark in scope would run with: --engine when given, else the site config's
 * `benchmarks.<name>.engine` (with its default). A benchmark whose section does not parse, or that
 * names no engine, is left out: its runs say why when they start.
 */
export function enginesInUse(registry: Registry, config: MlpsConfig, target: {benchmark?: string; engine?: string}): Record<string, string> {
  const inUse: Record<string, string> = {}
  for (const {definition} of registry.benchmarks.values()) {
    if (target.benchmark && definition.name !== target.benchmark) continue
    if (target.engine) {
      if (registry.engines.get(target.engine)?.definition.supports[definition.name]) inUse[definition.name] = target.engine
      continue
    }
    const parsed = definition.optionsSchema?.safeParse((config.benchmarks as Record<string, unknown>)[definition.name] ?? {})
    const engine = parsed?.success ? (parsed.data as {engine?: unknown}).engine : undefined
    if (typeof engine === 'string') inUse[definition.name] = engine
  }
  return inUse
}

/**
 * The failures that make the hosts not ready: those of checks that belong to no engine, and those of
 * the engines the config would run. Another engine failing (an official engine missing where a benchmark runs
 * natively) is reported per engine, but does not stop anything the user would start.
 */
export function blockingFailures(rows: readonly CheckRow[], inUse: Readonly<Record<string, string>>): CheckRow[] {
  const used = new Set(Object.values(inUse))
  return rows.filter(row => row.status === 'fail' && !row.needsRun && (!row.engine || used.has(row.engine)))
}

import {MlpsError} from '../errors.js'
import {ExitCode} from '../exit-codes.js'
import type {PreflightCheck} from '../doctor/check.js'
import {createLifecycle, type Lifecycle} from '../lifecycle/lifecycle.js'
import {benchmarksNamedBy} from '../verify/evaluate.js'
import {ResultsCatalogue} from '../verify/results-catalogue.js'
import type {BenchmarkDefinition, CollectorDefinition, EngineDefinition, PluginContribution, RulesEdition, RulesExtension} from './definitions.js'

export const PLUGIN_API_VERSION = 1

export interface Contributed<T> {
  definition: T
  plugin: string
}

type Kind = 'benchmark' | 'engine' | 'collector' | 'rules edition'

/**
 * What plugins contributed, by name, and the lifecycle they tapped. Built
 * once per process from the `mlps:register` hook.
 */
export class Registry {
  readonly lifecycle: Lifecycle = createLifecycle()
  readonly benchmarks = new Map<string, Contributed<BenchmarkDefinition>>()
  readonly engines = new Map<string, Contributed<EngineDefinition>>()
  readonly collectors = new Map<string, Contributed<CollectorDefinition>>()
  readonly rulesEditions = new Map<string, Contributed<RulesEdition>>()
  /** environment checks by id */
  readonly checks = new Map<string, Contributed<PreflightCheck>>()
  /** plugin name → its contribution, in the order they were applied */
  readonly plugins = new Map<string, PluginContribution>()
  /** rules other plugins add to an edition, by edition name */
  readonly rulesExtensions = new Map<string, Array<Contributed<RulesExtension>>>()
  private catalogue?: ResultsCatalogue

  /** Add one plugin's contribution; duplicates are an error naming both plugins. */
  add(plugin: string, contribution: PluginContribution): void {
    if (contribution.apiVersion !== PLUGIN_API_VERSION) {
      throw new MlpsError(`plugin ${plugin} targets mlps plugin API ${contribution.apiVersion}, this mlps speaks ${PLUGIN_API_VERSION}`, {
        exitCode: ExitCode.EnvironmentNotReady, fix: `update or uninstall it: mlps plugins update / mlps plugins uninstall ${plugin}`,
      })
    }
    for (const definition of contribution.benchmarks ?? []) this.put(this.benchmarks, 'benchmark', definition, plugin)
    for (const definition of contribution.engines ?? []) this.put(this.engines, 'engine', definition, plugin)
    for (const definition of contribution.collectors ?? []) this.put(this.collectors, 'collector', definition, plugin)
    for (const definition of contribution.rulesEditions ?? []) this.put(this.rulesEditions, 'rules edition', definition, plugin)
    for (const extension of contribution.rulesExtensions ?? []) {
      this.rulesExtensions.set(extension.edition, [...this.rulesExtensions.get(extension.edition) ?? [], {definition: extension, plugin}])
    }
    for (const check of contribution.checks ?? []) {
      const existing = this.checks.get(check?.id)
      if (!check?.id || existing) {
        throw new MlpsError(check?.id ? `check "${check.id}" is contributed by both ${existing!.plugin} and ${plugin}` : `plugin ${plugin} contributed a check without an id`, {
          exitCode: ExitCode.EnvironmentNotReady, fix: `report it to the plugin's authors or uninstall it: mlps plugins uninstall ${plugin}`,
        })
      }
      this.checks.set(check.id, {definition: check, plugin})
    }
    this.plugins.set(plugin, contribution)
  }

  /** Let every plugin tap the lifecycle, in a stable order (by plugin name). */
  applyAll(): void {
    for (const [plugin, contribution] of this.plugins) {
      try {
        contribution.apply?.(this.lifecycle)
      } catch (error) {
        throw new MlpsError(`plugin ${plugin} failed while tapping the lifecycle: ${(error as Error).message}`, {
          exitCode: ExitCode.EnvironmentNotReady, cause: error, fix: `report it to the plugin's authors or uninstall it: mlps plugins uninstall ${plugin}`,
        })
      }
    }
  }

  /** The installed benchmarks by results folder, for the tree loader, the rules and the reports. */
  results(): ResultsCatalogue {
    this.catalogue ??= new ResultsCatalogue(this.benchmarks.values(), benchmark => this.officialEngines(benchmark))
    return this.catalogue
  }

  /** A rules edition with the rules other plugins add to it; undefined when no plugin ships it. */
  edition(name: string): RulesEdition | undefined {
    const edition = this.rulesEditions.get(name)?.definition
    const extensions = this.rulesExtensions.get(name) ?? []
    if (!edition || extensions.length === 0) return edition
    // added rules are checked with the edition, but do not make it the judge of another benchmark's runs
    return {...edition, covers: edition.covers ?? benchmarksNamedBy(edition.rules ?? []), rules: [...edition.rules ?? [], ...extensions.flatMap(({definition}) => definition.rules)]}
  }

  /** the installed engines of a benchmark whose results can be CLOSED */
  officialEngines(benchmark: string): string[] {
    return [...this.engines.values()].map(({definition}) => definition).filter(engine => engine.closedEligible && engine.supports[benchmark] !== undefined).map(engine => engine.name)
  }

  engine(name: string, benchmark: string, command: string): EngineDefinition {
    const found = this.engines.get(name)?.definition
    const serving = [...this.engines.values()]
      .filter(({definition}) => definition.supports[benchmark]?.includes(command))
      .map(({definition}) => definition.name)
    if (!found || !found.supports[benchmark]?.includes(command)) {
      throw new MlpsError(
        found ? `engine "${name}" does not run ${benchmark} ${command}` : `no engine named "${name}" is installed`,
        {where: '--engine', fix: serving.length > 0 ? `use one of: ${serving.join(', ')}` : `install a plugin that provides a ${benchmark} engine (mlps plugins install ...)`},
      )
    }
    return found
  }

  private put<T extends {name: string}>(map: Map<string, Contributed<T>>, kind: Kind, definition: T, plugin: string): void {
    if (!definition?.name) throw new MlpsError(`plugin ${plugin} contributed a ${kind} without a name`, {exitCode: ExitCode.EnvironmentNotReady})
    const existing = map.get(definition.name)
    if (existing) {
      throw new MlpsError(`${kind} "${definition.name}" is contributed by both ${existing.plugin} and ${plugin}`, {
        exitCode: ExitCode.EnvironmentNotReady, fix: `uninstall one of them (mlps plugins uninstall ${plugin})`,
      })
    }
    map.set(definition.name, {definition, plugin})
  }
}

import type {BenchmarkResults} from '../registry/benchmark-results.js'
import type {BenchmarkDefinition} from '../registry/definitions.js'

/** Names whose presence in a folder makes it a run folder. */
export interface RunMarks {
  files: ReadonlySet<string>
  folders: ReadonlySet<string>
}

/** An installed benchmark as the results tree knows it. */
export interface CataloguedBenchmark {
  name: string
  /** the plugin that contributed it, for messages about its folder */
  plugin: string
  results: BenchmarkResults
  /** the installed engines whose results of it can be CLOSED */
  officialEngines: readonly string[]
}

/**
 * The installed benchmarks by results folder: what the tree loader, the
 * rules and the reports ask about a folder (which benchmark, whose plugin,
 * how its files are read and reported). Built from the registry.
 */
export class ResultsCatalogue {
  private readonly byFolderName = new Map<string, CataloguedBenchmark>()
  private readonly byName = new Map<string, CataloguedBenchmark>()

  constructor(benchmarks: Iterable<{definition: BenchmarkDefinition; plugin: string}>, officialEngines: (benchmark: string) => readonly string[] = () => []) {
    for (const {definition, plugin} of benchmarks) {
      const entry = {name: definition.name, plugin, results: definition.results, officialEngines: officialEngines(definition.name)}
      this.byFolderName.set(definition.results.folder, entry)
      this.byName.set(definition.name, entry)
    }
  }

  /** which results folder is whose, as a loaded tree carries it for the rules */
  installed(): Record<string, {name: string; plugin: string; officialEngines: readonly string[]}> {
    return Object.fromEntries(this.benchmarks.map(({name, plugin, results, officialEngines}) => [results.folder, {name, plugin, officialEngines}]))
  }

  /** every installed benchmark's results folder */
  get folders(): string[] {
    return [...this.byFolderName.keys()]
  }

  get benchmarks(): CataloguedBenchmark[] {
    return [...this.byFolderName.values()]
  }

  byFolder(folder: string | undefined): CataloguedBenchmark | undefined {
    return folder === undefined ? undefined : this.byFolderName.get(folder)
  }

  /** a benchmark's results folder from the name its commands and records use; unknown names are taken as folders */
  folderOf(benchmarkName: string): string {
    return this.byName.get(benchmarkName)?.results.folder ?? benchmarkName
  }

  /** what marks a run folder for any installed benchmark's reader */
  runMarks(): RunMarks {
    const readers = this.benchmarks.map(({results}) => results.reader).filter(reader => reader !== undefined)
    return {
      files: new Set(readers.flatMap(reader => reader.marks?.files ?? [])),
      folders: new Set(readers.flatMap(reader => reader.marks?.folders ?? [])),
    }
  }

  /** the readers that read run folders placed under no benchmark folder, each once */
  unplacedReaders(): NonNullable<BenchmarkResults['reader']>[] {
    const readers = new Map<string, NonNullable<BenchmarkResults['reader']>>()
    for (const {results} of this.byFolderName.values()) {
      if (results.reader?.readsUnplacedRuns) readers.set(results.reader.name, results.reader)
    }
    return [...readers.values()]
  }
}

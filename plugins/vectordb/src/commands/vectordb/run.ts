import {BenchmarkCommand, type BenchmarkCommandFlags, type ResolvedConfig, type RunDescription} from 'mlps'
import type {Registry} from 'mlps/unstable'
import {collectionFlags, runFlags} from '../../vectordb-flags.js'
import {vectordbOptions} from '../../vectordb-inputs.js'

export default class VectordbRun extends BenchmarkCommand<typeof VectordbRun> {
  static summary = 'Timed queries with concurrent clients, then recall against exact search'
  static description = 'Queries the collection datagen built with --num-query-processes clients for --runtime seconds (or --queries queries) and reports QPS, latency percentiles and recall@k. With --engine native the exact ground truth is computed by brute force over the stored vectors; with --engine vdbbench the vdbbench script runs against Milvus and its statistics.json is parsed. Recall 0 or missing ground truth makes the run INVALID.'
  static examples = [
    '<%= config.bin %> vectordb run --data-dir /mnt/sut/vdb --num-vectors 100000 --dimension 128 --index-type IVF_FLAT --num-query-processes 4 --runtime 30',
    '<%= config.bin %> vectordb run --engine vdbbench --index-type DISKANN --num-query-processes 24 --batch-size 8 --runtime 60 --search-ef 50 --dry-run --json',
  ]
  static flags = {...collectionFlags, ...runFlags}

  protected readonly benchmark = 'vectordb'
  protected readonly commandName = 'run'

  protected async describeRun(flags: BenchmarkCommandFlags<typeof VectordbRun>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const {options, userOverrides} = vectordbOptions('run', flags, resolved)
    return {
      model: options.indexType, modelPath: [options.backend, options.indexType], engine: options.engine, numProcesses: options.processes,
      options, userOverrides,
    }
  }
}

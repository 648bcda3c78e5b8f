import {BenchmarkCommand, type BenchmarkCommandFlags, type BenchmarkCommandResult, type ResolvedConfig, type RunDescription} from 'mlps'
import {formatBytes, formatCount, type LifecycleOutcome, type Registry} from 'mlps/unstable'
import {type VectordbDatasize, vectordbDatasize} from '../../datasize.js'
import {collectionFlags, datagenFlags} from '../../vectordb-flags.js'
import {vectordbOptions} from '../../vectordb-inputs.js'

export default class VectordbDatasizeCommand extends BenchmarkCommand<typeof VectordbDatasizeCommand> {
  static summary = 'Size a vector collection: raw vectors × the index\'s overhead'
  static description = 'bytes = num_vectors × dimension × 4 × overhead, with overheads DISKANN 1.3, HNSW 1.5, AISAQ 0.15, IVF_FLAT 1.05, IVF_SQ8 0.40, FLAT 1.0 (mlpstorage v3.0). Shards partition the vectors and do not multiply the size.'
  static examples = ['<%= config.bin %> vectordb datasize --num-vectors 10000000 --dimension 1536 --index-type DISKANN']
  static flags = {
    'index-type': collectionFlags['index-type'], dimension: collectionFlags.dimension, 'num-vectors': collectionFlags['num-vectors'],
    'num-shards': collectionFlags['num-shards'], 'vector-dtype': datagenFlags['vector-dtype'], engine: collectionFlags.engine,
  }

  protected readonly benchmark = 'vectordb'
  protected readonly commandName = 'datasize'

  async run(): Promise<BenchmarkCommandResult & Partial<VectordbDatasize>> {
    const result = await super.run()
    return {...(result.record.extra.datasize as VectordbDatasize | undefined), ...result}
  }

  protected async describeRun(flags: BenchmarkCommandFlags<typeof VectordbDatasizeCommand>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const {options, userOverrides} = vectordbOptions('datagen', flags, resolved)
    const {numVectors, dimension, numShards} = options
    const {indexType} = options
    return {
      model: indexType, modelPath: [options.backend, indexType], userOverrides, parameters: {numVectors, dimension, indexType, numShards},
      execute: async () => {
        const size = vectordbDatasize(numVectors, dimension, indexType, numShards)
        return {status: 'COMPLETED', metrics: {rawBytes: size.rawBytes, totalBytes: size.totalBytes, overhead: size.overhead}, extra: {datasize: size}}
      },
    }
  }

  protected report(outcome: LifecycleOutcome): void {
    const size = outcome.record.extra.datasize as VectordbDatasize | undefined
    if (!size) return super.report(outcome)
    this.say(`${formatCount(size.numVectors)} vectors of dimension ${size.dimension}, ${size.indexType} index:`)
    this.say(`  raw vectors: ${formatBytes(size.rawBytes)}`)
    this.say(`  with index:  ${formatBytes(size.totalBytes)} (× ${size.overhead})`)
    if (outcome.leaf) this.say(`  datasize leaf: ${outcome.leaf}`)
  }
}

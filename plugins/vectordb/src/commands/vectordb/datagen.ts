import {BenchmarkCommand, type BenchmarkCommandFlags, type ResolvedConfig, type RunDescription} from 'mlps'
import type {Registry} from 'mlps/unstable'
import {collectionFlags, datagenFlags} from '../../vectordb-flags.js'
import {vectordbOptions} from '../../vectordb-inputs.js'

export default class VectordbDatagen extends BenchmarkCommand<typeof VectordbDatagen> {
  static summary = 'Load the vectors and build the index (vector database datagen)'
  static description = 'With --engine native (the default) the vectors go into an embedded on-disk vector store in --data-dir and the index is built there; its results are labelled native and are never CLOSED. With --engine vdbbench, load-vdb loads them into Milvus, builds the index and waits for compaction.'
  static examples = [
    '<%= config.bin %> vectordb datagen --data-dir /mnt/sut/vdb --num-vectors 100000 --dimension 128 --index-type IVF_FLAT',
    '<%= config.bin %> vectordb datagen --engine vdbbench --index-type DISKANN --host milvus01 --num-vectors 1000000 --dry-run --json',
  ]
  static flags = {...collectionFlags, ...datagenFlags}

  protected readonly benchmark = 'vectordb'
  protected readonly commandName = 'datagen'

  protected async describeRun(flags: BenchmarkCommandFlags<typeof VectordbDatagen>, resolved: ResolvedConfig, _registry: Registry): Promise<RunDescription> {
    const {options, userOverrides} = vectordbOptions('datagen', flags, resolved)
    return {
      model: options.indexType, modelPath: [options.backend, options.indexType], engine: options.engine, numProcesses: 1,
      options, userOverrides,
    }
  }
}

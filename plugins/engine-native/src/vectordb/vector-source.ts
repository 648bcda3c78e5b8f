import {MersenneTwister} from '../random/mersenne-twister.js'
import type {Distribution} from './vectordb-options.js'

/** Query vectors come from their own stream, so the same seed never makes a query equal a stored vector. */
const QUERY_STREAM = 0x5bd1e995

/**
 * Deterministic vectors: the same (seed, distribution, dimension) always
 * yields the same sequence, chunk after chunk, so datagen can write in
 * chunks and a test can regenerate any vector it wants to check.
 *
 * The distributions carry load-vdb's names (engines.md §4.3); their exact
 * formulas are ours: uniform in [0, 1), standard normal, and "zipfian" a
 * continuous heavy tail (Pareto with shape 1.5, shifted to start at 0) —
 * few large coordinates, many small ones.
 */
export class VectorSource {
  private readonly random: MersenneTwister

  constructor(seed: number, readonly distribution: Distribution, readonly dimension: number) {
    this.random = new MersenneTwister(seed >>> 0)
  }

  static forQueries(seed: number, distribution: Distribution, dimension: number): VectorSource {
    return new VectorSource((seed ^ QUERY_STREAM) >>> 0, distribution, dimension)
  }

  /** The next `count` vectors, row after row. */
  next(count: number): Float32Array {
    const values = new Float32Array(count * this.dimension)
    const {random} = this
    switch (this.distribution) {
      case 'uniform':
        for (let i = 0; i < values.length; i++) values[i] = random.nextDouble()
        break
      case 'normal':
        for (let i = 0; i < values.length; i++) values[i] = random.nextGauss()
        break
      case 'zipfian':
        for (let i = 0; i < values.length; i++) values[i] = (1 - random.nextDouble()) ** (-1 / 1.5) - 1
        break
    }
    return values
  }
}

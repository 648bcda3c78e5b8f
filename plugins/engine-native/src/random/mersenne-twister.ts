/**
 * numpy's legacy `RandomState` generator (MT19937), reproduced bit for bit so
 * that the dataset plan and the per-epoch shuffles agree with what DLIO
 * computes from `np.random.seed(...)`: DLIO draws file dimensions with
 * `np.random.seed(10); np.random.normal(...)` (engines.md §1.5 "Generation
 * mode") and shuffles with `np.random.seed(seed); np.random.shuffle(...)`.
 */
const N = 624
const M = 397
const UPPER_MASK = 0x80000000
const LOWER_MASK = 0x7fffffff
const MATRIX_A = 0x9908b0df

export class MersenneTwister {
  private readonly state = new Uint32Array(N)
  private index = N
  private spareGauss: number | undefined

  /** numpy's `RandomState(seed)` / `np.random.seed(seed)` for an integer seed (init_genrand). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`)
    }
    this.state[0] = seed >>> 0
    for (let i = 1; i < N; i++) {
      const previous = this.state[i - 1] ^ (this.state[i - 1] >>> 30)
      // 1812433253 * previous + i, kept in 32 bits without losing precision in doubles
      this.state[i] = (Math.imul(1812433253, previous) + i) >>> 0
    }
  }

  nextUint32(): number {
    if (this.index >= N) this.twist()
    let y = this.state[this.index++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }

  /** numpy `legacy_double`: 53 random bits from two draws, in [0, 1). */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5
    const low = this.nextUint32() >>> 6
    return (high * 67108864 + low) / 9007199254740992
  }

  /** numpy `legacy_gauss`: Marsaglia's polar method, keeping the second value for the next call. */
  nextGauss(): number {
    if (this.spareGauss !== undefined) {
      const spare = this.spareGauss
      this.spareGauss = undefined
      return spare
    }
    let x1: number
    let x2: number
    let r2: number
    do {
      x1 = 2 * this.nextDouble() - 1
      x2 = 2 * this.nextDouble() - 1
      r2 = x1 * x1 + x2 * x2
    } while (r2 >= 1 || r2 === 0)
    const f = Math.sqrt((-2 * Math.log(r2)) / r2)
    this.spareGauss = f * x1
    return f * x2
  }

  /** `np.random.normal(loc, scale)` for one value. */
  normal(loc: number, scale: number): number {
    return loc + scale * this.nextGauss()
  }

  /** numpy `random_interval(max)`: uniform integer in [0, max] by masked rejection (max < 2^32). */
  interval(max: number): number {
    if (max === 0) return 0
    let mask = max
    mask |= mask >>> 1
    mask |= mask >>> 2
    mask |= mask >>> 4
    mask |= mask >>> 8
    mask |= mask >>> 16
    let value: number
    do {
      value = (this.nextUint32() & mask) >>> 0
    } while (value > max)
    return value
  }

  /** `np.random.shuffle(list)` (legacy Fisher-Yates from the end), in place. */
  shuffle<T extends {length: number; [index: number]: unknown}>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i)
      const held = items[i]
      items[i] = items[j]
      items[j] = held
    }
    return items
  }

  private twist(): void {
    const mt = this.state
    for (let k = 0; k < N; k++) {
      const y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK)
      mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    }
    this.index = 0
  }
}

/**
 * a[ao..ao+d) · b[bo..bo+d), four lanes at a time: in V8 this runs about
 * twice as fast as the plain loop, and this product is the whole cost of the
 * exact search. Float64Array inputs avoid a float32 → double conversion per read.
 */
export function dotProduct(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let i = 0
  for (; i + 3 < d; i += 4) {
    s0 += a[ao + i] * b[bo + i]
    s1 += a[ao + i + 1] * b[bo + i + 1]
    s2 += a[ao + i + 2] * b[bo + i + 2]
    s3 += a[ao + i + 3] * b[bo + i + 3]
  }
  for (; i < d; i++) s0 += a[ao + i] * b[bo + i]
  return s0 + s1 + s2 + s3
}

/** The k smallest (distance, id) pairs seen so far, kept sorted; cheap when most candidates lose. */
export class TopK {
  readonly distances: Float64Array
  readonly ids: Float64Array
  size = 0

  constructor(readonly k: number) {
    this.distances = new Float64Array(k)
    this.ids = new Float64Array(k)
  }

  offer(dist: number, id: number): void {
    const {k, distances, ids} = this
    if (this.size === k && dist >= distances[k - 1]) return
    let at = this.size < k ? this.size++ : k - 1
    while (at > 0 && distances[at - 1] > dist) {
      distances[at] = distances[at - 1]
      ids[at] = ids[at - 1]
      at--
    }
    distances[at] = dist
    ids[at] = id
  }

  result(): number[] {
    return Array.from(this.ids.subarray(0, this.size))
  }
}

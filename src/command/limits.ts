/**
 * The largest value each kind of count flag takes. A count past these would
 * not describe a real system; taken as given it makes mlps plan (and hold in
 * memory) that many ranks, hosts, clients or operations before saying
 * anything. oclif checks them at parse time, so the user gets exit 2 naming
 * the flag and the limit.
 */
export const LIMITS = {
  /** MPI ranks / emulated accelerators of one run: ten times the largest MLPerf Storage submissions */
  ranks: 100_000,
  /** client hosts of one run */
  hosts: 10_000,
  /** ranks on one host */
  ranksPerHost: 4096,
  /** GiB of memory of one client host (64 TiB) */
  hostMemoryGiB: 65_536,
  /** whole-state writes or reads of one run */
  operations: 10_000,
  /** simulated clients per rank */
  clientsPerRank: 1_000_000,
  /** seconds: a day, for durations, delays and intervals */
  seconds: 86_400,
  /** a repetition count (trials, documents per request) */
  repetitions: 10_000,
  /** seeds fit a signed 32-bit integer, as the engines' random generators take them */
  seed: 2 ** 31 - 1,
  /** a dimension of one item: the largest any supported database takes */
  dimension: 32_768,
  /** vectors of one collection */
  vectors: 10_000_000_000,
  /** a graph degree, a list or candidate size, a batch of vectors or queries */
  indexParameter: 1_000_000,
  /** queries of one run */
  queries: 1_000_000_000,
} as const

import {MersenneTwister} from '../random/mersenne-twister.js'
import type {KvPass, KvUserTemplate} from '@mlps/run-options'
import {RamTier} from './ram-tier.js'
import {Semaphore} from './semaphore.js'
import type {StorageReadMode, StorageTier} from './storage-tier.js'
import {sleepUntilAbort} from './sleep-until-abort.js'

export type Tier = 'cpu' | 'storage'

/** One I/O of a request: a prefill write, a decode read, or an eviction (offload) from RAM to storage. */
export interface IoSample {
  request: number
  tier: Tier
  op: 'read' | 'write'
  bytes: number
  ms: number
  offload?: true
}

/** One request: its storage time is the sum of its I/Os; end to end adds queueing and generation. */
export interface RequestSample {
  request: number
  user: number
  turn: number
  contextTokens: number
  generatedTokens: number
  storageMs: number
  endToEndMs: number
  generationMs: number
  /** ms since the pass started */
  startMs: number
}

export interface RankSimulation {
  elapsedSeconds: number
  requests: RequestSample[]
  io: IoSample[]
  cacheHits: number
  cacheMisses: number
  cpuEntries: number
  storageEntries: number
  offloadsStorage: number
  readMode: StorageReadMode
}

export interface SimulateRankInput {
  pass: KvPass
  seed: number
  templates: readonly KvUserTemplate[]
  maxContextTokens?: number
  storage: StorageTier
  noise: Buffer
  signal: AbortSignal
  onRequest?: () => void
}

function uniformInt(rng: MersenneTwister, [low, high]: readonly [number, number]): number {
  return low + Math.floor(rng.nextDouble() * (high - low + 1))
}

/**
 * One rank of the KV-cache workload model (engines.md §3.1): `numUsers` simulated users, each of a
 * template kind, issue requests until the pass's duration is up. A request's prefill writes its KV
 * block (context tokens × KV bytes per token) into the RAM tier when one is configured, the LRU
 * overflow waterfalling to the storage tier, or straight to storage; its decode reads the block back,
 * and with multi-turn the user's previous turn too. Generation then takes tokens × the mode's time
 * per token. A user keeps its last two turns; older blocks are dropped. No GPU tier: this host has none.
 */
export async function simulateRank(input: SimulateRankInput): Promise<RankSimulation> {
  const {pass, storage, noise, signal} = input
  const rng = new MersenneTwister(input.seed)
  const ram = new RamTier(pass.params.cpuMemGb * 2 ** 30)
  const allocations = new Semaphore(pass.params.maxConcurrentAllocs)
  const multiTurn = !pass.params.disableMultiTurn
  const requests: RequestSample[] = []
  const io: IoSample[] = []
  let nextRequest = 0
  let cacheHits = 0
  let cacheMisses = 0
  let offloadsStorage = 0
  const started = performance.now()
  const deadline = started + pass.params.durationSeconds * 1000

  const timed = async (sample: Omit<IoSample, 'ms' | 'bytes'>, work: () => Promise<number>): Promise<number> => {
    const t0 = performance.now()
    const bytes = await work()
    const ms = performance.now() - t0
    io.push({...sample, bytes, ms})
    return ms
  }

  const store = async (request: number, key: string, bytes: number): Promise<number> => {
    if (ram.capacityBytes === 0 || !ram.fits(bytes)) {
      return timed({request, tier: 'storage', op: 'write'}, async () => { await storage.write(key, bytes); return bytes })
    }
    let evicted: Array<[string, number]> = []
    let ms = await timed({request, tier: 'cpu', op: 'write'}, async () => { evicted = ram.put(key, bytes, noise); return bytes })
    for (const [evictedKey, evictedBytes] of evicted) {
      offloadsStorage++
      ms += await timed({request, tier: 'storage', op: 'write', offload: true}, async () => { await storage.write(evictedKey, evictedBytes); return evictedBytes })
    }
    return ms
  }

  const load = async (request: number, key: string): Promise<number> => {
    if (ram.has(key)) {
      cacheHits++
      return timed({request, tier: 'cpu', op: 'read'}, async () => ram.read(key)!)
    }
    if (storage.has(key)) {
      cacheHits++
      return timed({request, tier: 'storage', op: 'read'}, () => storage.read(key))
    }
    cacheMisses++
    return 0
  }

  const forget = async (key: string) => {
    ram.remove(key)
    await storage.remove(key)
  }

  const user = async (id: number) => {
    const template = input.templates[Math.floor(rng.nextDouble() * input.templates.length)]
    for (let turn = 0; performance.now() < deadline && !signal.aborted; turn++) {
      const request = nextRequest++
      const t0 = performance.now()
      const contextTokens = Math.min(uniformInt(rng, template.contextTokens), input.maxContextTokens ?? Number.POSITIVE_INFINITY)
      const generatedTokens = uniformInt(rng, template.generationTokens)
      const key = `user${id}_turn${turn}`
      let storageMs = 0
      await allocations.acquire()
      try {
        storageMs += await store(request, key, contextTokens * pass.kvBytesPerToken)
        if (multiTurn && turn > 0) storageMs += await load(request, `user${id}_turn${turn - 1}`)
        storageMs += await load(request, key)
      } finally {
        allocations.release()
      }
      if (turn >= 2) await forget(`user${id}_turn${turn - 2}`)
      const generationMs = generatedTokens * pass.generationSecondsPerToken * 1000
      await sleepUntilAbort(generationMs, signal)
      requests.push({request, user: id, turn, contextTokens, generatedTokens, storageMs, generationMs, endToEndMs: performance.now() - t0, startMs: t0 - started})
      input.onRequest?.()
    }
  }

  await Promise.all(Array.from({length: pass.params.numUsers}, (_, id) => user(id)))
  return {
    elapsedSeconds: (performance.now() - started) / 1000,
    requests: requests.sort((a, b) => a.request - b.request),
    io,
    cacheHits,
    cacheMisses,
    cpuEntries: ram.entries,
    storageEntries: storage.entries,
    offloadsStorage,
    readMode: storage.readMode,
  }
}

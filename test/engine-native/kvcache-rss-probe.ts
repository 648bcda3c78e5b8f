// Runs one native KV-cache rank in a process of its own and prints its peak resident set (maxRSS) as
// JSON, so the memory test measures this simulation and nothing the test runner holds.
import {randomFillSync} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {simulateRank} from '../../plugins/engine-native/src/kvcache/rank-simulation.js'
import {StorageTier} from '../../plugins/engine-native/src/kvcache/storage-tier.js'

const [cpuMemGb, numUsers, maxContextTokens, durationSeconds] = process.argv.slice(2).map(Number)
const MiB = 2 ** 20
const baseline = process.resourceUsage().maxRSS * 1024
const dir = mkdtempSync(join(tmpdir(), 'mlps-kv-rss-'))
const noise = randomFillSync(Buffer.allocUnsafe(8 * MiB))
const storage = await StorageTier.create(join(dir, 'rank_0'), noise)
try {
  const simulation = await simulateRank({
    pass: {option: 2, optionName: 'Storage Throughput', trial: 0, kvBytesPerToken: 131_072, generationSecondsPerToken: 0,
      params: {model: 'llama3.1-8b', numUsers, durationSeconds, gpuMemGb: 0, cpuMemGb, maxConcurrentAllocs: 16, generationMode: 'none'}},
    seed: 42, maxContextTokens, storage, noise, signal: new AbortController().signal,
    templates: [{kind: 'document', contextTokens: [maxContextTokens / 2, maxContextTokens], generationTokens: [1, 2]}],
  })
  const cpuWrites = simulation.io.filter(io => io.tier === 'cpu' && io.op === 'write').length
  console.log(JSON.stringify({baselineBytes: baseline, maxRssBytes: process.resourceUsage().maxRSS * 1024, requests: simulation.requests.length, cpuWrites, offloads: simulation.offloadsStorage}))
} finally {
  await storage.dispose()
  rmSync(dir, {recursive: true, force: true})
}

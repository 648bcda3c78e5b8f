import {readFile} from 'node:fs/promises'
import {MlpsError, z} from 'mlps'
import {parseTolerantJson} from 'mlps/unstable'

/**
 * One rank's kv-cache.py results file (`--output`), read into one typed shape whichever vocabulary
 * wrote it (engines.md §3.5): the v3.0 files say `storage_*`, the early (Jan 2026) ones `nvme_*`.
 * All "gb"/"gbps" in the files are GiB and GiB/s.
 */
export type KvTier = 'gpu' | 'cpu' | 'storage'
export type KvSchema = 'v3.0' | 'early'

export interface LatencyPercentiles {
  mean?: number
  p50: number
  p95: number
  p99: number
  p999?: number
  p9999?: number
}

export interface TierOpLatency {
  p50: number
  p95: number
  p99: number
}

export interface KvRankResult {
  file: string
  schema: KvSchema
  seed?: number
  totalRequests: number
  totalTokens: number
  elapsedSeconds: number
  /** wall-clock tokens/s: total tokens / elapsed */
  avgThroughputTokensPerSecond: number
  /** total tokens / summed per-request storage I/O time (an efficiency ratio, not wall clock) */
  storageThroughputTokensPerSecond: number | null
  requestsPerSecond: number
  storageIoLatencyMs: LatencyPercentiles
  endToEndLatencyMs: LatencyPercentiles
  storageEntries: number
  cpuEntries: number
  gpuEntries: number
  /** wall-clock GiB/s of the storage tier; null where the file's schema does not report it */
  storageReadBandwidthGiBps: number | null
  storageWriteBandwidthGiBps: number | null
  storageBytesReadGiB: number | null
  storageBytesWrittenGiB: number | null
  /** per tier and operation, host-measured request latency percentiles, where reported */
  tierLatencyMs: Partial<Record<KvTier, Partial<Record<'read' | 'write', TierOpLatency>>>>
  /** device-level storage P95s (Rules 6.3.4.3), where reported */
  storageReadDeviceP95Ms: number | null
  storageWriteDeviceP95Ms: number | null
  cacheHitRate: number
  storageHealth?: 'PASS' | 'FAIL'
  /** values the file does not hold, and why; never silently zero */
  notReported: string[]
  /** values computed from the file's own fields by the file's own definition */
  derived: string[]
}

const finite = z.number().finite()
const percentiles = z.object({mean: finite.optional(), p50: finite, p95: finite, p99: finite, p999: finite.optional(), p9999: finite.optional()}).passthrough()

const RankFileSchema = z.object({
  total_storage_io_latency: finite.optional(),
  seed: z.number().int().nullable().optional(),
  summary: z.object({
    total_requests: z.number().int().nonnegative(),
    total_tokens: z.number().int().nonnegative(),
    elapsed_time: z.number().positive(),
    avg_throughput_tokens_per_sec: finite,
    storage_throughput_tokens_per_sec: finite.optional(),
    requests_per_second: finite,
    end_to_end_latency_ms: percentiles,
    storage_io_latency_ms: percentiles,
    cache_stats: z.record(z.string(), z.unknown()),
  }).passthrough(),
}).passthrough()

export type KvRankFile = z.output<typeof RankFileSchema>

function numberAt(stats: Record<string, unknown>, key: string): number | undefined {
  const value = stats[key]
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function tierOp(stats: Record<string, unknown>, prefix: string): TierOpLatency | undefined {
  const [p50, p95, p99] = ['p50', 'p95', 'p99'].map(p => numberAt(stats, `${prefix}_${p}_ms`))
  return p50 === undefined || p95 === undefined || p99 === undefined ? undefined : {p50, p95, p99}
}

/** What a rank that finished its pass without completing one request says, in the status reason too. */
export const NO_REQUESTS_COMPLETED = 'completed 0 requests'

/** Turn a parsed results document into the typed result; `file` names it in errors. */
export function rankResultFrom(document: unknown, file: string): KvRankResult {
  // kv-cache.py that completes no request exits 0 and writes its counters without a summary
  const counters = document as {requests_completed?: unknown; summary?: unknown} | null
  if (counters && typeof counters === 'object' && counters.requests_completed === 0 && counters.summary === undefined) {
    throw new MlpsError(`${NO_REQUESTS_COMPLETED}: kv-cache.py ended its pass before any request finished, so it wrote no summary`, {
      where: file, fix: 'give each pass longer (--duration) or less to do per request (fewer --num-users, a smaller --model): on this storage one request outlasted the pass',
    })
  }
  const parsed = RankFileSchema.safeParse(document)
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map(issue => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ')
    throw new MlpsError(`not a kv-cache.py results file: ${problems}`, {where: file, fix: 'point mlps at the JSON kv-cache.py wrote with --output (a run that died early writes none)'})
  }
  const {summary} = parsed.data
  const stats = summary.cache_stats
  const schema: KvSchema = 'storage_entries' in stats ? 'v3.0' : 'nvme_entries' in stats ? 'early' : (() => {
    throw new MlpsError('cache_stats has neither storage_entries (v3.0) nor nvme_entries (early schema)', {where: file, fix: 'use the results JSON of kv-cache.py v3.0 or of its January 2026 version'})
  })()
  const storage = schema === 'v3.0' ? 'storage' : 'nvme'
  const notReported: string[] = []
  const derived: string[] = []
  const reported = (key: string, what: string): number | null => {
    const value = numberAt(stats, key)
    if (value === undefined) notReported.push(`${what} (cache_stats.${key})`)
    return value ?? null
  }

  let storageThroughput: number | null = summary.storage_throughput_tokens_per_sec ?? null
  if (storageThroughput === null) {
    // kv-cache.py defines it as total tokens / total_storage_io_latency (engines.md §3.5); early files keep both inputs
    const ioSeconds = parsed.data.total_storage_io_latency
    if (ioSeconds !== undefined && ioSeconds > 0) {
      storageThroughput = summary.total_tokens / ioSeconds
      derived.push('storageThroughputTokensPerSecond = summary.total_tokens / total_storage_io_latency')
    } else {
      notReported.push('storage throughput (summary.storage_throughput_tokens_per_sec)')
    }
  }

  const tierLatencyMs: KvRankResult['tierLatencyMs'] = {}
  for (const [tier, prefix] of [['gpu', 'gpu'], ['cpu', 'cpu'], ['storage', storage]] as const) {
    const read = tierOp(stats, `${prefix}_read`)
    const write = tierOp(stats, `${prefix}_write`)
    if (read || write) tierLatencyMs[tier] = {...(read ? {read} : {}), ...(write ? {write} : {})}
  }
  if (!tierLatencyMs.storage?.read) notReported.push(`storage read latency percentiles (cache_stats.${storage}_read_p95_ms)`)
  const health = (stats.storage_health as {overall_status?: unknown} | undefined)?.overall_status

  return {
    file,
    schema,
    seed: parsed.data.seed ?? undefined,
    totalRequests: summary.total_requests,
    totalTokens: summary.total_tokens,
    elapsedSeconds: summary.elapsed_time,
    avgThroughputTokensPerSecond: summary.avg_throughput_tokens_per_sec,
    storageThroughputTokensPerSecond: storageThroughput,
    requestsPerSecond: summary.requests_per_second,
    storageIoLatencyMs: summary.storage_io_latency_ms,
    endToEndLatencyMs: summary.end_to_end_latency_ms,
    storageEntries: numberAt(stats, `${storage}_entries`) ?? 0,
    cpuEntries: numberAt(stats, 'cpu_entries') ?? 0,
    gpuEntries: numberAt(stats, 'gpu_entries') ?? 0,
    // the early schema has no per-tier byte counters: its totals mix the GPU and CPU tiers in
    storageReadBandwidthGiBps: reported('tier_storage_read_bandwidth_gbps', 'storage read bandwidth'),
    storageWriteBandwidthGiBps: reported('tier_storage_write_bandwidth_gbps', 'storage write bandwidth'),
    storageBytesReadGiB: reported('tier_storage_kv_bytes_read_gb', 'storage bytes read'),
    storageBytesWrittenGiB: reported('tier_storage_kv_bytes_written_gb', 'storage bytes written'),
    tierLatencyMs,
    storageReadDeviceP95Ms: reported(`${storage}_read_device_p95_ms`, 'storage device read P95'),
    storageWriteDeviceP95Ms: reported(`${storage}_write_device_p95_ms`, 'storage device write P95'),
    cacheHitRate: numberAt(stats, 'cache_hit_rate') ?? 0,
    storageHealth: health === 'PASS' || health === 'FAIL' ? health : undefined,
    notReported,
    derived,
  }
}

/** Read and parse one rank's results file. */
export async function readRankResult(file: string): Promise<KvRankResult> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new MlpsError(`cannot read: ${(error as Error).message}`, {where: file, fix: 'check that the rank wrote its results (see the pass stderr log)'})
  }
  let document: unknown
  try {
    // kv-cache.py dumps numpy values; NaN/Infinity may appear in a degenerate run
    document = parseTolerantJson(text)
  } catch (error) {
    throw new MlpsError(`not valid JSON: ${(error as Error).message}`, {where: file, fix: 'the rank was probably killed while writing; rerun the trial'})
  }
  return rankResultFrom(document, file)
}

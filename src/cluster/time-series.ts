import {z} from 'zod'
import {HostFailureSchema, HostVolatileSchema} from './host-facts.js'

export const HostSampleSchema = z.object({
  /** the host's clock at the sample */
  time: z.string(),
  volatile: HostVolatileSchema,
})
export type HostSample = z.infer<typeof HostSampleSchema>

/** What a sampler hands back when stopped (mlpstorage-spec.md §7.7 TimeSeriesData, with its cost measured). */
export const TimeSeriesSchema = z.object({
  collector: z.string(),
  intervalSeconds: z.number().positive(),
  startedAt: z.string(),
  endedAt: z.string(),
  requestedHosts: z.array(z.string()),
  samplesByHost: z.record(z.string(), z.array(HostSampleSchema)),
  /** hosts that could not be sampled, or whose sampling broke off */
  missing: z.array(HostFailureSchema),
  /** samples dropped once a host reached the cap */
  droppedSamples: z.number().int().nonnegative(),
  cost: z.object({
    samples: z.number().int().nonnegative(),
    /** CPU the gatherer used per sample on the sampled host, when the gatherer can tell */
    hostCpuMsPerSample: z.number().nonnegative().nullable(),
    /** time the controller spent per sample (reading and parsing), in ms */
    controllerMsPerSample: z.number().nonnegative().nullable(),
  }),
})
export type TimeSeries = z.infer<typeof TimeSeriesSchema>

export const TIMESERIES_FORMAT = 'mlps-timeseries/1'

/** The per-host sample cap: a day at the default 10 s interval, so a forgotten sampler cannot eat the controller's memory. */
export const MAX_SAMPLES_PER_HOST = 8640

/**
 * How long a sampler's start waits for its hosts' first samples. Starting
 * the gatherers over SSH or MPI takes seconds on a loaded controller; without
 * the wait a short run was over before any host had reported, and its series
 * was empty.
 */
export const FIRST_SAMPLES_WAIT_MS = 30_000

/** Collects samples per host under the cap and sums their cost; every sampler fills one. */
export class SampleBook {
  readonly samplesByHost: Record<string, TimeSeries['samplesByHost'][string]> = {}
  dropped = 0
  private readonly firstSampleWaiters: Array<{hosts: Set<string>; resolve: () => void}> = []
  private hostCpuSeconds = 0
  private hostCpuSamples = 0
  private controllerMs = 0
  private controllerSamples = 0

  constructor(hosts: readonly string[]) {
    for (const host of hosts) this.samplesByHost[host] = []
  }

  add(host: string, sample: HostSample, cost: {hostCpuSeconds?: number; controllerMs?: number} = {}): void {
    const list = (this.samplesByHost[host] ??= [])
    if (list.length >= MAX_SAMPLES_PER_HOST) {
      this.dropped++
      return
    }
    list.push(sample)
    if (list.length === 1) this.settleWaiters(host)
    if (cost.hostCpuSeconds !== undefined) {
      this.hostCpuSeconds += cost.hostCpuSeconds
      this.hostCpuSamples++
    }
    if (cost.controllerMs !== undefined) {
      this.controllerMs += cost.controllerMs
      this.controllerSamples++
    }
  }

  /** Resolves once each of `hosts` has a sample (at once for none). */
  sampled(hosts: readonly string[]): Promise<void> {
    const pending = new Set(hosts.filter(host => (this.samplesByHost[host]?.length ?? 0) === 0))
    if (pending.size === 0) return Promise.resolve()
    return new Promise(resolve => this.firstSampleWaiters.push({hosts: pending, resolve}))
  }

  private settleWaiters(host: string): void {
    for (const waiter of [...this.firstSampleWaiters]) {
      waiter.hosts.delete(host)
      if (waiter.hosts.size > 0) continue
      this.firstSampleWaiters.splice(this.firstSampleWaiters.indexOf(waiter), 1)
      waiter.resolve()
    }
  }

  get count(): number {
    return Object.values(this.samplesByHost).reduce((sum, list) => sum + list.length, 0)
  }

  cost(): TimeSeries['cost'] {
    return {
      samples: this.count,
      hostCpuMsPerSample: this.hostCpuSamples > 0 ? (this.hostCpuSeconds * 1000) / this.hostCpuSamples : null,
      controllerMsPerSample: this.controllerSamples > 0 ? this.controllerMs / this.controllerSamples : null,
    }
  }
}

/**
 * A sampler's start waits here until its hosts' first samples are in, so the
 * series covers the run from its start; the gatherers ending, the run being
 * aborted or FIRST_SAMPLES_WAIT_MS passing end the wait too (stop() then
 * names the hosts without samples).
 */
export async function waitForFirstSamples(firstSamples: Promise<void>, options: {ended?: Promise<unknown>; signal?: AbortSignal; timeoutMs?: number} = {}): Promise<void> {
  if (options.signal?.aborted) return
  let timer: NodeJS.Timeout | undefined
  let onAbort: (() => void) | undefined
  const waitEnded = new Promise<void>(resolve => {
    timer = setTimeout(resolve, options.timeoutMs ?? FIRST_SAMPLES_WAIT_MS)
    onAbort = resolve
    options.signal?.addEventListener('abort', onAbort, {once: true})
  })
  try {
    await Promise.race([firstSamples, options.ended ?? waitEnded, waitEnded])
  } finally {
    clearTimeout(timer)
    if (onAbort) options.signal?.removeEventListener('abort', onAbort)
  }
}

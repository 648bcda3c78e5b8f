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

/** Collects samples per host under the cap and sums their cost; every sampler fills one. */
export class SampleBook {
  readonly samplesByHost: Record<string, TimeSeries['samplesByHost'][string]> = {}
  dropped = 0
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
    if (cost.hostCpuSeconds !== undefined) {
      this.hostCpuSeconds += cost.hostCpuSeconds
      this.hostCpuSamples++
    }
    if (cost.controllerMs !== undefined) {
      this.controllerMs += cost.controllerMs
      this.controllerSamples++
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

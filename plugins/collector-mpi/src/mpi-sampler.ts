import {type HostFailure, type HostSampler, type SamplerRequest, type TimeSeries} from 'mlps'
import {type LaunchOutcome, runLaunch, SampleBook, samplerScript, volatileFromRaw, waitForFirstSamples} from 'mlps/unstable'
import {gathererLaunch} from './mpi-launch.js'
import {RankFrames} from './rank-frames.js'

/**
 * The time series over MPI: one long-running launch, one sampler rank per
 * host, each printing a frame at once and then every interval; stopping it
 * is a SIGTERM through the launcher, which the ranks obey at once. It
 * returns once every host has sent its first frame, so the run it watches
 * starts under watch.
 */
export async function startMpiSampler(request: SamplerRequest): Promise<HostSampler> {
  const startedAt = new Date()
  const names = request.hosts.map(h => h.name)
  const command = await gathererLaunch(request, samplerScript(request.intervalSeconds))
  const placed = command.placement.hosts.filter(h => h.ranks > 0).map(h => h.name)
  const book = new SampleBook(names)
  const lastCpu = new Map<number, number>()
  const frames = new RankFrames(command.launcher.kind, (rank, raw) => {
    const host = placed[rank] ?? names[rank]
    if (host === undefined) return
    const hostCpuSeconds = raw.cpuSeconds === undefined ? undefined : raw.cpuSeconds - (lastCpu.get(rank) ?? 0)
    if (raw.cpuSeconds !== undefined) lastCpu.set(rank, raw.cpuSeconds)
    book.add(host, {time: new Date(raw.timeMs).toISOString(), volatile: volatileFromRaw(raw)}, {hostCpuSeconds})
  })
  const stopper = new AbortController()
  let endedEarly: LaunchOutcome | undefined
  const running: Promise<LaunchOutcome> = runLaunch(command, {
    signal: request.signal ? AbortSignal.any([request.signal, stopper.signal]) : stopper.signal,
    onLine: (line, stream) => frames.line(line, stream),
    terminateGraceMs: 5000,
  }).then(outcome => {
    if (!stopper.signal.aborted) endedEarly = outcome
    return outcome
  })
  await waitForFirstSamples(book.sampled(placed.length > 0 ? placed : names), {ended: running, signal: request.signal})
  return {
    async stop(): Promise<TimeSeries> {
      stopper.abort('sampler stopped')
      await running
      const missing: HostFailure[] = names.filter(host => book.samplesByHost[host]?.length === 0).map(host => ({
        host, reason: 'command', message: `no samples${endedEarly ? `: ${command.argv[0]} ${endedEarly.reason ?? 'ended early'}` : ''}${frames.chatter.length > 0 ? ` (${frames.chatter.join(' | ').slice(0, 300)})` : ''}`,
      }))
      if (endedEarly) {
        for (const host of names.filter(h => (book.samplesByHost[h]?.length ?? 0) > 0)) {
          missing.push({host, reason: 'command', message: `sampling broke off before the end: ${command.argv[0]} ${endedEarly.reason ?? 'ended early'}`})
        }
      }
      return {
        collector: 'mpi', intervalSeconds: request.intervalSeconds, startedAt: startedAt.toISOString(), endedAt: new Date().toISOString(),
        requestedHosts: names, samplesByHost: book.samplesByHost, missing, droppedSamples: book.dropped,
        cost: {...book.cost(), controllerMsPerSample: null},
      }
    },
  }
}

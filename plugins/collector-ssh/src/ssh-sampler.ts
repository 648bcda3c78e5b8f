import {type HostFailure, type HostSampler, type SamplerRequest, type TimeSeries} from 'mlps'
import {GatherFrameParser, isLocalHost, SampleBook, samplerScript, startLocalSampler, volatileFromRaw, mapWithConcurrency, waitForFirstSamples} from 'mlps/unstable'
import type ssh2 from 'ssh2'
import {classifySshError, HostError} from './host-error.js'
import {execProgram} from './ssh-connection.js'
import {leaseConnection, type SshLease} from './ssh-pool.js'
import {resolveSshSettings} from './ssh-settings.js'

interface RemoteSession {
  host: string
  lease: SshLease
  channel?: ssh2.ClientChannel
  done: Promise<unknown>
  stopping: boolean
}

/**
 * The time series over SSH: one long-lived session per host running the
 * sampler program, which prints a frame at once and then every interval;
 * never a new connection per sample (mlpstorage-spec.md §7.7 names that as
 * the reference's weak point). This machine is sampled in-process.
 */
export async function startSshSampler(request: SamplerRequest): Promise<HostSampler> {
  const startedAt = new Date()
  const names = request.hosts.map(h => h.name)
  const local = names.filter(isLocalHost)
  const remote = names.filter(name => !isLocalHost(name))
  const localSampler = local.length > 0 ? startLocalSampler(local, request.intervalSeconds, 'ssh') : undefined
  const book = new SampleBook(remote)
  const missing: HostFailure[] = []
  const sessions: RemoteSession[] = []
  if (remote.length > 0) {
    const settings = resolveSshSettings(request.config)
    const program = samplerScript(request.intervalSeconds)
    await mapWithConcurrency(remote, settings.concurrency, async host => {
      let lease: SshLease
      try {
        lease = await leaseConnection(host, settings, request.signal)
      } catch (error) {
        missing.push(classifySshError(error).failure(host))
        return
      }
      const parser = new GatherFrameParser()
      let lastCpu: number | undefined
      const session: RemoteSession = {host, lease, stopping: false, done: Promise.resolve()}
      session.done = execProgram(lease.client, program, text => {
        try {
          for (const raw of parser.push(text)) {
            const hostCpuSeconds = raw.cpuSeconds === undefined ? undefined : raw.cpuSeconds - (lastCpu ?? 0)
            lastCpu = raw.cpuSeconds
            book.add(host, {time: new Date(raw.timeMs).toISOString(), volatile: volatileFromRaw(raw)}, {hostCpuSeconds})
          }
        } catch (error) {
          if (!session.stopping) missing.push(new HostError('protocol', `unreadable sample: ${(error as Error).message}`).failure(host))
        }
      }, {onChannel: channel => { session.channel = channel }}).then(result => {
        if (!session.stopping) missing.push(new HostError('command', `the sampler stopped early (exit ${result.code ?? 'unknown'})${result.stderr ? `: ${result.stderr.trim().slice(0, 300)}` : ''}`).failure(host))
      }, error => {
        lease.discard()
        if (!session.stopping) missing.push(classifySshError(error).failure(host))
      })
      sessions.push(session)
    })
    // a session that ended has said why; the others are waited for until their first frame
    const firstSamples = Promise.all(sessions.map(session => Promise.race([book.sampled([session.host]), session.done])))
    await waitForFirstSamples(firstSamples.then(() => undefined), {signal: request.signal})
  }
  return {
    async stop(): Promise<TimeSeries> {
      const localSeries = await localSampler?.stop()
      await Promise.all(sessions.map(async session => {
        session.stopping = true
        session.channel?.signal('TERM')
        session.channel?.close()
        // a host that does not answer the close must not hold the run's end
        const closed = await Promise.race([session.done.then(() => true), new Promise<false>(resolve => setTimeout(() => resolve(false), 5000).unref())])
        if (closed) session.lease.release()
        else session.lease.discard()
      }))
      const remoteCost = book.cost()
      return {
        collector: 'ssh', intervalSeconds: request.intervalSeconds, startedAt: startedAt.toISOString(), endedAt: new Date().toISOString(),
        requestedHosts: names,
        samplesByHost: {...localSeries?.samplesByHost, ...book.samplesByHost},
        missing: [...(localSeries?.missing ?? []), ...missing],
        droppedSamples: book.dropped + (localSeries?.droppedSamples ?? 0),
        cost: {
          samples: remoteCost.samples + (localSeries?.cost.samples ?? 0),
          hostCpuMsPerSample: remoteCost.hostCpuMsPerSample,
          controllerMsPerSample: localSeries?.cost.controllerMsPerSample ?? null,
        },
      }
    },
  }
}

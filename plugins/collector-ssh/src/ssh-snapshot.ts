import {type ClusterSnapshot, type HostFailure, type HostSnapshotRequest} from 'mlps'
import {buildSnapshot, clockOffset, gatherLocal, GatherFrameParser, type HostReport, isLocalHost, snapshotScript, mapWithConcurrency} from 'mlps/unstable'
import {classifySshError, HostError} from './host-error.js'
import {execProgram} from './ssh-connection.js'
import {leaseConnection} from './ssh-pool.js'
import {resolveSshSettings, type SshSettings} from './ssh-settings.js'
import type ssh2 from 'ssh2'

/**
 * One snapshot over SSH: every host in parallel (at most ssh.concurrency at
 * once), one round trip each (the gatherer program on stdin, its frame on
 * stdout) over the host's pooled connection, this machine read in-process. A host that
 * fails is listed in `missing` with its reason; the others still answer.
 */
export async function sshSnapshot(request: HostSnapshotRequest): Promise<ClusterSnapshot> {
  const startedAt = new Date()
  const names = request.hosts.map(h => h.name)
  const remote = names.filter(name => !isLocalHost(name))
  const settings = remote.length > 0 ? resolveSshSettings(request.config) : undefined
  const program = snapshotScript(request.probe?.path)
  const outcomes = await mapWithConcurrency(names, settings?.concurrency ?? 1, async (host): Promise<HostReport | HostFailure> => {
    if (isLocalHost(host)) return {host, raw: gatherLocal('snapshot', request.probe?.path), clock: {offsetMs: 0, uncertaintyMs: 0}}
    try {
      return await snapshotHost(host, settings!, program, request.signal)
    } catch (error) {
      return classifySshError(error).failure(host)
    }
  })
  return buildSnapshot({
    collector: 'ssh', requestedHosts: names, startedAt, probe: request.probe,
    reports: outcomes.filter((o): o is HostReport => 'raw' in o),
    missing: outcomes.filter((o): o is HostFailure => 'reason' in o),
  })
}

async function snapshotHost(host: string, settings: SshSettings, program: string, signal?: AbortSignal): Promise<HostReport> {
  const deadline = AbortSignal.timeout(settings.connectTimeoutMs + settings.commandTimeoutMs)
  const lease = await leaseConnection(host, settings, signal ? AbortSignal.any([signal, deadline]) : deadline)
  try {
    const report = await gatherOver(lease.client, host, settings, program)
    lease.release()
    return report
  } catch (error) {
    lease.discard()
    // a connection kept from earlier may have died unseen (a host rebooted, a NAT forgot it): once more, fresh
    if (!lease.reused || signal?.aborted) throw error
    return snapshotHost(host, settings, program, signal)
  }
}

async function gatherOver(client: ssh2.Client, host: string, settings: SshSettings, program: string): Promise<HostReport> {
  const parser = new GatherFrameParser()
  const frames: ReturnType<GatherFrameParser['push']> = []
  let firstFrameMs: number | undefined
  let parseError: Error | undefined
  const result = await execProgram(client, program, text => {
    try {
      const done = parser.push(text)
      if (done.length > 0) firstFrameMs ??= Date.now()
      frames.push(...done)
    } catch (error) {
      parseError ??= error as Error
    }
  }, {timeoutMs: settings.commandTimeoutMs})
  if (parseError) throw new HostError('protocol', `unreadable gatherer output: ${parseError.message}`)
  const raw = frames[0]
  if (!raw) {
    const said = [...parser.noise, result.stderr.trim()].filter(Boolean).join(' | ').slice(0, 500)
    throw new HostError(result.code === 0 ? 'protocol' : 'command', `the gatherer printed no facts (exit ${result.code ?? 'unknown'})${said ? `: ${said}` : ''}`)
  }
  // the host read its clock first thing, before the first byte it sent
  return {host, raw, clock: clockOffset(raw.timeMs, result.sentMs, result.firstOutputMs ?? firstFrameMs ?? Date.now(), raw.timePrecise)}
}

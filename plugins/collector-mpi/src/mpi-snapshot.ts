import {type ClusterSnapshot, type HostFailure, type HostSnapshotRequest} from 'mlps'
import {buildSnapshot, clockOffset, type HostReport, runLaunch, snapshotScript} from 'mlps/unstable'
import {gathererLaunch} from './mpi-launch.js'
import {RankFrames} from './rank-frames.js'

/** How long one MPI collection may take, launch included (the reference's default, mlpstorage-spec.md §7.4). */
export const MPI_COLLECTION_TIMEOUT_MS = 60_000

/**
 * One snapshot over MPI: a single launch with one gatherer rank per host;
 * rank i runs on host i (one slot each, mapped by node). MPI starts all
 * ranks or none, so a launch that fails leaves every host missing with the
 * launcher's own words.
 */
export async function mpiSnapshot(request: HostSnapshotRequest): Promise<ClusterSnapshot> {
  const startedAt = new Date()
  const names = request.hosts.map(h => h.name)
  const command = await gathererLaunch(request, snapshotScript(request.probe?.path))
  const byRank = new Map<number, HostReport>()
  const sentMs = Date.now()
  const frames = new RankFrames(command.launcher.kind, (rank, raw) => {
    const host = command.placement.hosts.filter(h => h.ranks > 0)[rank]?.name ?? names[rank]
    if (host !== undefined && !byRank.has(rank)) {
      byRank.set(rank, {host, raw, clock: clockOffset(raw.timeMs, sentMs, frames.firstLineMs.get(rank) ?? Date.now(), raw.timePrecise)})
    }
  })
  const timeout = AbortSignal.timeout(MPI_COLLECTION_TIMEOUT_MS)
  const outcome = await runLaunch(command, {
    signal: request.signal ? AbortSignal.any([request.signal, timeout]) : timeout,
    onLine: (line, stream) => frames.line(line, stream),
    terminateGraceMs: 5000,
  })
  const reports = [...byRank.values()]
  const answered = new Set(reports.map(r => r.host))
  const why = timeout.aborted ? `the MPI collection did not finish within ${MPI_COLLECTION_TIMEOUT_MS / 1000} s`
    : outcome.status !== 'COMPLETED' ? `${command.argv[0]} ${outcome.reason ?? 'failed'}` : 'its rank printed no facts'
  const detail = [...frames.errors, ...frames.chatter].join(' | ').slice(0, 500)
  const missing: HostFailure[] = names.filter(name => !answered.has(name)).map(host => ({
    host, reason: timeout.aborted ? 'timeout' : 'command', message: `${why}${detail ? `: ${detail}` : ''}`,
  }))
  return buildSnapshot({collector: 'mpi', requestedHosts: names, startedAt, reports, missing, probe: request.probe})
}

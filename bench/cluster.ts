import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {MlpsConfigSchema} from '../src/config/schema.js'
import {gatherLocal} from '../src/cluster/gather-local.js'
import {snapshotScript} from '../src/cluster/gather-script.js'
import {hostFactsFromRaw, volatileFromRaw} from '../src/cluster/host-facts-from-raw.js'
import {closeIdleConnections} from '../plugins/collector-ssh/src/ssh-pool.js'
import {startSshSampler} from '../plugins/collector-ssh/src/ssh-sampler.js'
import {sshSnapshot} from '../plugins/collector-ssh/src/ssh-snapshot.js'
import {SshLab} from '../test/cluster/ssh-lab.js'
import {median, round} from './figures.js'

const ENDPOINTS = [1, 8, 32]
const RUNS = Number(process.env.MLPS_BENCH_RUNS ?? 3)

/**
 * Cluster collection: wall time of one SSH snapshot of 1, 8 and 32 real
 * sshd endpoints on loopback (127.0.0.2..33), against 1 as the baseline
 * (parallel collection should grow far slower than linearly), and the
 * sampler's CPU per sample: in-process (against a full snapshot) and the
 * remote sh sampler's own CPU as it reports it.
 */
export async function benchCluster(): Promise<Record<string, unknown>> {
  const lab = await SshLab.create(Math.max(...ENDPOINTS))
  try {
    const addresses = Array.from({length: Math.max(...ENDPOINTS)}, (_, i) => `127.0.0.${i + 2}`)
    await Promise.all(addresses.map(address => lab.startSshd(address)))
    writeFileSync(lab.knownHostsFile, lab.knownHostsLines(addresses.map(address => ({address, hostKey: lab.hostKey(address)}))))
    const config = MlpsConfigSchema.parse({ssh: {port: lab.port, identityFile: lab.userKey, knownHostsFile: lab.knownHostsFile, connectTimeoutSeconds: 20}})
    const wall: Record<string, number> = {}
    for (const pooled of ['cold', 'warm'] as const) {
      for (const count of ENDPOINTS) {
        const hosts = addresses.slice(0, count).map(name => ({name}))
        // cold: every host's handshake counted; warm: the connections a run's first snapshot left open
        if (pooled === 'warm') await sshSnapshot({hosts, config})
        const times: number[] = []
        for (let run = 0; run < RUNS; run++) {
          if (pooled === 'cold') await closeIdleConnections()
          const begin = performance.now()
          const snapshot = await sshSnapshot({hosts, config})
          times.push(performance.now() - begin)
          if (snapshot.missing.length > 0) throw new Error(`bench: ${snapshot.missing.length} endpoint(s) failed: ${snapshot.missing[0].message}`)
        }
        wall[`ssh_snapshot_${count}_hosts_${pooled}_median_ms`] = round(median(times))
      }
    }
    const largest = Math.max(...ENDPOINTS)
    // sshd counts a connection's CPU once it has reaped it, after the connection closed
    const closeAndReap = async () => {
      await closeIdleConnections()
      await new Promise(resolve => setTimeout(resolve, 1000))
    }
    await closeAndReap()
    const serversBefore = reapedChildrenCpuMs(lab.pids())
    const clientBefore = process.cpuUsage()
    await sshSnapshot({hosts: addresses.map(name => ({name})), config})
    const client = process.cpuUsage(clientBefore)
    await closeAndReap()
    // the sshd listeners reap their connections' processes (sshd's session, the shell, the gatherer)
    const serverSideMs = reapedChildrenCpuMs(lab.pids()) - serversBefore
    const clientMs = (client.user + client.system) / 1000
    const gathererMs = gathererCpuMs()

    const samples = 300
    const cpu = (work: () => void, times: number) => {
      const begin = process.cpuUsage()
      for (let i = 0; i < times; i++) work()
      const used = process.cpuUsage(begin)
      return (used.user + used.system) / 1000 / times
    }
    const sampleMs = cpu(() => volatileFromRaw(gatherLocal('sample')), samples)
    const snapshotMs = cpu(() => hostFactsFromRaw(gatherLocal('snapshot'), {host: 'h', collector: 'bench', clock: {offsetMs: 0, uncertaintyMs: 0}}), 50)
    const sampler = await startSshSampler({hosts: [{name: addresses[0]}], config, intervalSeconds: 0.2})
    await new Promise(resolve => setTimeout(resolve, 3000))
    const remote = await sampler.stop()

    return {
      bench: 'cluster',
      runs: RUNS,
      ...wall,
      ssh_8_vs_1_cold_ratio: round(wall.ssh_snapshot_8_hosts_cold_median_ms / wall.ssh_snapshot_1_hosts_cold_median_ms),
      ssh_32_vs_1_cold_ratio: round(wall.ssh_snapshot_32_hosts_cold_median_ms / wall.ssh_snapshot_1_hosts_cold_median_ms),
      ssh_32_vs_1_warm_ratio: round(wall.ssh_snapshot_32_hosts_warm_median_ms / wall.ssh_snapshot_1_hosts_warm_median_ms),
      // where one host's share of a 32-host snapshot's CPU goes: mlps's (the controller's ssh2 client, the
      // gatherer program) and OpenSSH's (sshd's handshake, crypto and session on the host); with every host on
      // these cores, the snapshot cannot take less than the sum over hosts divided by the cores
      ssh_per_host_client_cpu_ms: round(clientMs / largest),
      ssh_per_host_gatherer_cpu_ms: round(gathererMs),
      ssh_per_host_sshd_cpu_ms: round(serverSideMs / largest - gathererMs),
      ssh_32_hosts_cpu_floor_ms: round((clientMs + serverSideMs) / cpuCount()),
      cores: cpuCount(),
      local_sample_cpu_ms: round(sampleMs),
      local_snapshot_cpu_ms: round(snapshotMs),
      sample_vs_snapshot_ratio: round(sampleMs / snapshotMs),
      remote_sh_sample_cpu_ms: remote.cost.hostCpuMsPerSample === null ? null : round(remote.cost.hostCpuMsPerSample),
      remote_samples: remote.cost.samples,
      aim: 'ssh_32_vs_1 ≤ 3 (warm: over the connections a run keeps; cold: bounded by sshd\'s handshake CPU on these cores); a sample costs a small fraction of a snapshot',
    }
  } finally {
    await closeIdleConnections()
    await lab.stop()
  }
}

/** CPU time of the processes these have reaped so far (cutime + cstime of /proc/<pid>/stat), in ms */
function reapedChildrenCpuMs(pids: number[]): number {
  const CLOCK_TICK_MS = 10
  return pids.reduce((sum, pid) => {
    // fields 16 and 17, counted after the parenthesised command name
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return sum + (Number(fields[13]) + Number(fields[14])) * CLOCK_TICK_MS
  }, 0)
}

function cpuCount(): number {
  return readFileSync('/proc/stat', 'utf8').split('\n').filter(line => /^cpu\d/.test(line)).length
}

/** the gatherer program's own CPU when this machine runs it, median of 5 (what it costs each host) */
function gathererCpuMs(): number {
  const program = snapshotScript()
  const times = Array.from({length: 5}, () => {
    const result = spawnSync('sh', ['-c', `${program.replace(/finish\n$/, '')}times`], {encoding: 'utf8'})
    // `times`: the shell's user and system time, then its children's
    const seconds = [...result.stdout.trimEnd().split('\n').slice(-2).join(' ').matchAll(/(\d+)m([\d.]+)s/g)].map(match => Number(match[1]) * 60 + Number(match[2]))
    return seconds.reduce((sum, value) => sum + value, 0) * 1000
  })
  return median(times)
}

import {writeFileSync} from 'node:fs'
import {MlpsConfigSchema} from '../src/config/schema.js'
import {gatherLocal} from '../src/cluster/gather-local.js'
import {hostFactsFromRaw, volatileFromRaw} from '../src/cluster/host-facts-from-raw.js'
import {startSshSampler} from '../plugins/collector-ssh/src/ssh-sampler.js'
import {sshSnapshot} from '../plugins/collector-ssh/src/ssh-snapshot.js'
import {SshLab} from '../test/cluster/ssh-lab.js'

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
    for (const count of ENDPOINTS) {
      const times: number[] = []
      for (let run = 0; run < RUNS; run++) {
        const begin = performance.now()
        const snapshot = await sshSnapshot({hosts: addresses.slice(0, count).map(name => ({name})), config})
        times.push(performance.now() - begin)
        if (snapshot.missing.length > 0) throw new Error(`bench: ${snapshot.missing.length} endpoint(s) failed: ${snapshot.missing[0].message}`)
      }
      wall[`ssh_snapshot_${count}_hosts_median_ms`] = round(median(times))
    }

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
      ssh_8_vs_1_ratio: round(wall.ssh_snapshot_8_hosts_median_ms / wall.ssh_snapshot_1_hosts_median_ms),
      ssh_32_vs_1_ratio: round(wall.ssh_snapshot_32_hosts_median_ms / wall.ssh_snapshot_1_hosts_median_ms),
      local_sample_cpu_ms: round(sampleMs),
      local_snapshot_cpu_ms: round(snapshotMs),
      sample_vs_snapshot_ratio: round(sampleMs / snapshotMs),
      remote_sh_sample_cpu_ms: remote.cost.hostCpuMsPerSample === null ? null : round(remote.cost.hostCpuMsPerSample),
      remote_samples: remote.cost.samples,
      aim: 'ssh_32_vs_1_ratio far below 32; a sample costs a small fraction of a snapshot',
    }
  } finally {
    await lab.stop()
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

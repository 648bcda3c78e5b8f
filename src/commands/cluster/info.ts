import {Flags} from '@oclif/core'
import {clusterFindings, type ClusterSummary, summarizeCluster} from '../../cluster/cluster-checks.js'
import {describeClockOffset} from '../../cluster/describe-clock.js'
import type {ClusterSnapshot} from '../../cluster/host-facts.js'
import {requireCollector} from '../../cluster/resolve-collector.js'
import {writeSharedFsProbe} from '../../cluster/shared-fs-probe.js'
import {MlpsCommand} from '../../command/mlps-command.js'
import {loadConfig} from '../../config/load-config.js'
import {MlpsError} from '../../errors.js'
import {ExitCode} from '../../exit-codes.js'
import {resolveHosts} from '../../hosts/resolve-hosts.js'
import {getRegistry} from '../../registry/load-registry.js'
import {formatBytes} from '../../ux/format.js'
import type {Finding} from '../../verify/finding.js'

export interface ClusterInfoResult {
  summary: ClusterSummary
  findings: Finding[]
  snapshot: ClusterSnapshot
}

export default class ClusterInfo extends MlpsCommand {
  static summary = 'Collect and print the facts of every host: CPU, memory, disks, mounts, NICs, cgroup limits, clock offset'
  static description = 'Hosts that cannot be reached are listed with the reason (refused, auth, timeout, host key mismatch, ...) while the others are still reported; the exit code is then 3. With --probe-dir, a file written there is looked for on every host (is the directory shared?).'
  static examples = [
    '<%= config.bin %> cluster info',
    '<%= config.bin %> cluster info --hosts node[01-04] --collector ssh --json',
    '<%= config.bin %> cluster info --hosts node01,node02 --collector mpi --probe-dir /mnt/results',
  ]

  static flags = {
    hosts: Flags.string({description: 'hosts, e.g. node[01-04] (comma or space separated) [config: hosts]', multiple: true}),
    collector: Flags.string({description: 'how to reach the hosts [config: collector]', options: ['local', 'mpi', 'ssh']}),
    'probe-dir': Flags.string({description: 'a directory every host should share (e.g. the results dir): checked by writing a file there'}),
  }

  async run(): Promise<ClusterInfoResult> {
    const {flags} = await this.parse(ClusterInfo)
    const resolved = await loadConfig({
      configFile: flags.config,
      flags: [{path: 'hosts', value: flags.hosts, flag: '--hosts'}, {path: 'collector', value: flags.collector, flag: '--collector'}],
    })
    const {config} = resolved
    if (config.collector === 'none') {
      throw new MlpsError('the configured collector is "none"', {where: resolved.sources.get('collector')?.kind === 'flag' ? '--collector' : 'collector', fix: 'pass --collector local, ssh or mpi'})
    }
    const hosts = await resolveHosts(resolved, undefined)
    const collector = requireCollector(await getRegistry(this.config), config.collector)
    const probe = flags['probe-dir'] ? await writeSharedFsProbe(flags['probe-dir']).catch(error => {
      throw new MlpsError(`cannot write a probe file in ${flags['probe-dir']}: ${(error as Error).message}`, {where: '--probe-dir', fix: 'give a directory you can write to'})
    }) : undefined
    let snapshot: ClusterSnapshot
    try {
      snapshot = await collector.snapshot({hosts, config, probe})
    } finally {
      await probe?.remove()
    }
    const summary = summarizeCluster(snapshot)
    const findings = clusterFindings(snapshot).filter(f => probe || f.ruleId !== 'cluster.resultsDir.shared')
    if (snapshot.missing.length > 0) process.exitCode = ExitCode.EnvironmentNotReady
    if (!this.jsonEnabled()) this.print(snapshot, summary, findings)
    return {summary, findings, snapshot}
  }

  private print(snapshot: ClusterSnapshot, summary: ClusterSummary, findings: Finding[]): void {
    const answered = snapshot.hosts.length
    // the totals count each machine once: addresses of one machine share a fingerprint
    const machines = summary.numHosts === answered ? '' : `, ${summary.numHosts} distinct machine${summary.numHosts === 1 ? '' : 's'} among them`
    this.say(`${answered} of ${snapshot.requestedHosts.length} host${snapshot.requestedHosts.length === 1 ? '' : 's'} answered via ${snapshot.collector} in ${snapshot.durationMs} ms${machines}: ` +
      `${formatBytes(summary.totalMemoryBytes)} memory, ${summary.totalCores} cores, ${summary.totalThreads} threads in total`)
    for (const host of snapshot.hosts) {
      const {cpu, memory, kernel, cgroup} = host.stable
      const limits = [cgroup.memoryLimitBytes === null ? '' : `mem limit ${formatBytes(cgroup.memoryLimitBytes)}`, cgroup.cpuLimitCores === null ? '' : `cpu limit ${cgroup.cpuLimitCores}`].filter(Boolean).join(', ')
      this.say(`  ${host.host} (${host.hostname}) ${cpu.model ?? 'unknown CPU'}: ${cpu.sockets} socket(s), ${cpu.cores} cores, ${cpu.threads} threads; ${formatBytes(memory.totalBytes)}; kernel ${kernel.release ?? '?'}; clock ${describeClockOffset(host.clock)}; fingerprint ${host.fingerprint}${limits ? `; ${limits}` : ''}`)
    }
    for (const failure of snapshot.missing) this.say(`  ${failure.host}: MISSING (${failure.reason}) ${failure.message}`)
    for (const finding of findings.filter(f => f.severity !== 'info' || !f.notEvaluable)) {
      this.say(`  ${finding.severity} [${finding.ruleId}] ${finding.message}${finding.fix ? ` (fix: ${finding.fix})` : ''}`)
    }
  }
}

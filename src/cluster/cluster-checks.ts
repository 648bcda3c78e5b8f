import type {Finding} from '../verify/finding.js'
import {uniqueByHostname} from './deltas.js'
import type {ClusterSnapshot, HostFacts} from './host-facts.js'

/** Hosts whose memory or cores differ by more than this factor get a warning (user-asks.md §4 item 12). */
export const HETEROGENEITY_FACTOR = 1.5
/** Clock offsets beyond this break cross-host timelines (user-asks.md §4 item 12). */
export const MAX_CLOCK_SKEW_MS = 1000

export interface ClusterSummary {
  /** distinct machines that answered (two names for one machine count once) */
  numHosts: number
  /** the sum over distinct hosts of each one's own MemTotal, never host 0 × count (storage#669) */
  totalMemoryBytes: number
  minMemoryBytes: number | null
  maxMemoryBytes: number | null
  totalCores: number
  totalThreads: number
  /** fingerprint → hosts that have it */
  fingerprints: Record<string, string[]>
  missingHosts: string[]
}

export function summarizeCluster(snapshot: ClusterSnapshot): ClusterSummary {
  const hosts = uniqueByHostname(snapshot.hosts)
  const memory = hosts.map(h => h.stable.memory.totalBytes)
  const fingerprints: Record<string, string[]> = {}
  for (const host of hosts) (fingerprints[host.fingerprint] ??= []).push(host.host)
  return {
    numHosts: hosts.length,
    totalMemoryBytes: memory.reduce((a, b) => a + b, 0),
    minMemoryBytes: memory.length > 0 ? Math.min(...memory) : null,
    maxMemoryBytes: memory.length > 0 ? Math.max(...memory) : null,
    totalCores: hosts.reduce((sum, h) => sum + h.stable.cpu.cores, 0),
    totalThreads: hosts.reduce((sum, h) => sum + h.stable.cpu.threads, 0),
    fingerprints,
    missingHosts: snapshot.missing.map(m => m.host),
  }
}

/**
 * The cluster checks other plugins build on: missing hosts, memory and core
 * heterogeneity, clock skew, differing configurations and the shared results
 * directory. A check whose input is missing says so ("not evaluable").
 */
export function clusterFindings(snapshot: ClusterSnapshot): Finding[] {
  const findings: Finding[] = []
  const hosts = uniqueByHostname(snapshot.hosts)
  for (const failure of snapshot.missing) {
    findings.push({
      ruleId: 'cluster.host.missing', severity: 'warn', kind: 'environment',
      message: `no facts from ${failure.host} (${failure.reason}): ${failure.message}`,
      fix: FIXES[failure.reason], evidence: [{value: failure}],
    })
  }
  findings.push(...spread(hosts, 'memory', h => h.stable.memory.totalBytes, v => `${(v / 2 ** 30).toFixed(1)} GiB`))
  findings.push(...spread(hosts, 'physical cores', h => h.stable.cpu.cores, String))
  findings.push(...clockFindings(hosts))
  const groups = Object.entries(summarizeCluster(snapshot).fingerprints)
  if (groups.length > 1) {
    findings.push({
      ruleId: 'cluster.fingerprint.differs', severity: 'info',
      message: `the hosts are not configured alike: ${groups.map(([print, names]) => `${names.join(', ')} (${print})`).join('; ')}`,
      fix: 'compare the hosts\' "stable" facts in `mlps cluster info --json` (OS, kernel, CPU, memory, mounts, NICs, cgroup limits)',
    })
  }
  if (snapshot.probe) {
    if (snapshot.probe.notVisibleOn.length > 0) {
      findings.push({
        ruleId: 'cluster.resultsDir.shared', severity: 'warn', kind: 'environment',
        message: `${snapshot.probe.path} was written here but is not visible on ${snapshot.probe.notVisibleOn.join(', ')}: the results directory is not shared by every host`,
        fix: 'put --results-dir on a file system every host mounts at the same path',
      })
    }
  } else {
    findings.push({ruleId: 'cluster.resultsDir.shared', severity: 'info', notEvaluable: true, message: 'the shared-filesystem probe was not run, so whether every host sees the results directory is unknown'})
  }
  return findings
}

function spread(hosts: readonly HostFacts[], what: string, value: (h: HostFacts) => number, show: (v: number) => string): Finding[] {
  if (hosts.length < 2) return []
  const sorted = [...hosts].sort((a, b) => value(a) - value(b))
  const [low, high] = [sorted[0], sorted.at(-1)!]
  if (value(low) <= 0 || value(high) / value(low) <= HETEROGENEITY_FACTOR) return []
  return [{
    ruleId: `cluster.heterogeneous.${what.replace(/\s+/g, '')}`, severity: 'warn',
    message: `hosts differ by ${(value(high) / value(low)).toFixed(2)}× in ${what} (more than ${HETEROGENEITY_FACTOR}×): ${low.host} has ${show(value(low))}, ${high.host} has ${show(value(high))}`,
    fix: 'run on hosts of one configuration; the slowest host paces every synchronous step',
    evidence: hosts.map(h => ({path: h.host, value: value(h)})),
  }]
}

function clockFindings(hosts: readonly HostFacts[]): Finding[] {
  const findings: Finding[] = []
  const skewed = hosts.filter(h => Math.abs(h.clock.offsetMs) - h.clock.uncertaintyMs > MAX_CLOCK_SKEW_MS)
  if (skewed.length > 0) {
    findings.push({
      ruleId: 'cluster.clock.skew', severity: 'warn', kind: 'environment',
      message: `clocks differ from this host's by more than ${MAX_CLOCK_SKEW_MS / 1000} s on ${skewed.map(h => `${h.host} (${(h.clock.offsetMs / 1000).toFixed(2)} s)`).join(', ')}`,
      fix: 'synchronise the clocks (chrony or ntpd) so timestamps across hosts can be compared',
    })
  }
  const unsure = hosts.filter(h => h.clock.uncertaintyMs > MAX_CLOCK_SKEW_MS)
  if (unsure.length > 0) {
    findings.push({
      ruleId: 'cluster.clock.skew', severity: 'info', notEvaluable: true,
      message: `the clock offset of ${unsure.map(h => h.host).join(', ')} could not be measured to within ${MAX_CLOCK_SKEW_MS / 1000} s`,
    })
  }
  return findings
}

const FIXES: Record<string, string> = {
  refused: 'start sshd on the host or set ssh.port to the port it listens on',
  auth: 'add your public key to the host\'s authorized_keys, or set ssh.identityFile / ssh.user (an ssh-agent in SSH_AUTH_SOCK is used too)',
  timeout: 'check that the host is up and reachable, or raise ssh.connectTimeoutSeconds',
  'host-key-mismatch': 'the host key changed since it was recorded in known_hosts: if that is expected, remove the old entry (ssh-keygen -R <host>), otherwise treat it as an attack',
  'host-key-unknown': 'add the host to known_hosts (ssh-keyscan or one interactive ssh), or set ssh.strictHostKeyChecking: accept-new',
  unreachable: 'check the host name and the network route',
  'not-local': 'use --collector ssh or --collector mpi to reach other hosts',
  command: 'check that the host has a POSIX sh with cat, grep, awk and stat',
  protocol: 'check that the login prints nothing unusual and that the host runs Linux',
  error: 'see the message; rerun with --verbose',
}

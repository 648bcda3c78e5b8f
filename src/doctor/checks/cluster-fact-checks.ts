import {clusterFindings, MAX_CLOCK_SKEW_MS} from '../../cluster/cluster-checks.js'
import {describeClockOffset} from '../../cluster/describe-clock.js'
import type {HostFacts} from '../../cluster/host-facts.js'
import type {CheckContext, CheckResult, PreflightCheck} from '../check.js'

/** These checks compare hosts: they concern runs with a host other than this one. */
const someRemote = (ctx: CheckContext) => ctx.hosts.some(h => !ctx.isLocal(h.name))

type SnapshotView = {facts: HostFacts} | {result: CheckResult}

/** The host's facts from the shared snapshot, or the result to report when there are none. */
async function factsOf(ctx: CheckContext, host: string): Promise<SnapshotView> {
  const snapshot = await ctx.cluster()
  if (!snapshot) {
    return {result: {status: 'skip', detail: 'not evaluable: no collector that reaches other hosts is installed', fix: 'install @mlps/plugin-collector-ssh (mlps plugins install @mlps/plugin-collector-ssh), or choose --collector ssh or mpi'}}
  }
  const facts = snapshot.hosts.find(h => h.host === host)
  if (facts) return {facts}
  const missing = snapshot.missing.find(m => m.host === host)
  return {result: {status: 'skip', detail: `not evaluable: ${host} could not be reached${missing ? ` (${missing.reason})` : ''}`}}
}

/** A check of every other host: this one passes with `onThisHost`, the others are judged by `check`. */
function otherHostCheck(spec: Pick<PreflightCheck, 'id' | 'title'> & {
  onThisHost(ctx: CheckContext): string
  check(ctx: CheckContext, host: string): Promise<CheckResult>
}): PreflightCheck {
  return {
    id: spec.id,
    title: spec.title,
    runsOn: 'hosts',
    appliesTo: someRemote,
    async run(ctx, host) {
      return ctx.isLocal(host) ? {status: 'ok', detail: spec.onThisHost(ctx)} : spec.check(ctx, host)
    },
  }
}

/** An other-host check that judges the host's facts from the snapshot; without them it reports why they are missing. */
function hostFactsCheck(spec: Pick<PreflightCheck, 'id' | 'title'> & {
  onThisHost(ctx: CheckContext): string
  judge(ctx: CheckContext, host: string, facts: HostFacts): Promise<CheckResult> | CheckResult
}): PreflightCheck {
  return otherHostCheck({
    ...spec,
    async check(ctx, host) {
      const view = await factsOf(ctx, host)
      return 'result' in view ? view.result : spec.judge(ctx, host, view.facts)
    },
  })
}

/** Every host answers the collector (SSH or MPI) before anything starts (mlpstorage-spec.md §10.1 step 4). */
export const reachableCheck: PreflightCheck = otherHostCheck({
  id: 'ssh.reachable',
  title: 'host reachable',
  onThisHost: () => 'this host',
  async check(ctx, host) {
    const snapshot = await ctx.cluster()
    if (!snapshot) return (await factsOf(ctx, host) as {result: CheckResult}).result
    const missing = snapshot.missing.find(m => m.host === host)
    if (!missing) return {status: 'ok', detail: `answered the ${snapshot.collector} collector`}
    const finding = clusterFindings({...snapshot, missing: [missing], hosts: [], probe: undefined}).find(f => f.ruleId === 'cluster.host.missing')
    return {status: 'fail', detail: `the ${snapshot.collector} collector could not reach ${host} (${missing.reason}): ${missing.message}`, fix: finding?.fix ?? 'check the host name, that it is up, and ssh access to it'}
  },
})

/** Clock offsets from this host (user-asks.md §4 item 1: the negative gap from clock skew). */
export const clockSkewCheck: PreflightCheck = hostFactsCheck({
  id: 'cluster.clockSkew',
  title: 'clock offset from this host',
  onThisHost: () => 'this host keeps the reference clock',
  judge(_ctx, _host, facts) {
    const {offsetMs, uncertaintyMs} = facts.clock
    const shown = `${offsetMs >= 0 ? '+' : ''}${offsetMs} ms ± ${uncertaintyMs} ms`
    if (uncertaintyMs > MAX_CLOCK_SKEW_MS) return {status: 'skip', detail: `not evaluable: the offset (${shown}) could not be measured to within ${MAX_CLOCK_SKEW_MS / 1000} s`}
    if (Math.abs(offsetMs) - uncertaintyMs > MAX_CLOCK_SKEW_MS) {
      return {status: 'warn', detail: `the clock is ${shown} from this host's, more than ${MAX_CLOCK_SKEW_MS / 1000} s`, fix: 'synchronise the clocks (chrony or ntpd) so timestamps across hosts can be compared'}
    }
    return {status: 'ok', detail: `clock against this host's: ${describeClockOffset(facts.clock)}`}
  },
})

/**
 * Every host sees the results dir this host writes (storage#772: six runs
 * lost to per-host local results dirs): a probe file written here is looked
 * for on each host.
 */
export const resultsDirSharedCheck: PreflightCheck = hostFactsCheck({
  id: 'mlps.resultsDir.shared',
  title: 'results dir shared by every host',
  onThisHost: ctx => `${ctx.config.resultsDir} is written from here`,
  async judge(ctx, host) {
    const probe = (await ctx.cluster())?.probe
    if (!probe) return {status: 'skip', detail: `not evaluable: no probe file could be written under ${ctx.config.resultsDir}`, fix: 'make the results dir (or its nearest existing parent) writable'}
    if (probe.visibleOn.includes(host)) return {status: 'ok', detail: `${host} sees ${probe.path}`}
    return {
      status: 'fail', detail: `${probe.path} was written here but ${host} does not see it: ${ctx.config.resultsDir} is not shared with ${host}`,
      fix: 'put --results-dir on a file system every host mounts at the same path (NFS, Lustre, ...)',
    }
  },
})

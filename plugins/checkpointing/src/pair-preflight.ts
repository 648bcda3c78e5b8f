import type {Finding, RunContext} from 'mlps'
import {probeCacheClear} from './page-cache.js'
import type {PairOptions} from './procedure.js'

const RULE = 'checkpointing.cacheClear'
const SUDO_RULE = "sh -c 'echo 3 > /proc/sys/vm/drop_caches'"

/**
 * Before the write invocation of a pair starts: can every client host clear
 * its page cache when the writes are done (Rules 4.3.1)? Asked on the hosts
 * themselves, through the launcher, so a missing root or sudo rule stops the
 * run now rather than after the writes. A dry run asks nobody and says so.
 */
export async function cacheClearPreflight(ctx: RunContext, pair: PairOptions): Promise<Finding[]> {
  if (pair.phase !== 'write') return []
  if (ctx.dryRun) {
    return [{ruleId: RULE, severity: 'info', notEvaluable: true,
      message: 'not evaluable in a dry run: whether every client host can clear its page cache is asked on the hosts when the run starts'}]
  }
  const closed = ctx.division === 'closed'
  let probe
  try {
    probe = await probeCacheClear({hosts: ctx.hosts, numProcesses: ctx.numProcesses ?? 1, config: ctx.config}, ctx.signal)
  } catch (error) {
    return [{ruleId: RULE, severity: 'error', kind: 'environment', message: `cannot ask the client hosts whether they can clear their page cache: ${(error as Error).message}`,
      fix: 'check the launcher (mlps doctor), or set launcher.type'}]
  }
  ctx.record.extra.checkpointing = {...ctx.record.extra.checkpointing as object, cacheClearProbe: probe.perHost}
  const silent = probe.perHost.filter(host => host.via === undefined)
  const unable = probe.perHost.filter(host => host.via === 'none')
  const findings: Finding[] = []
  if (silent.length > 0) {
    findings.push({ruleId: RULE, severity: 'error', kind: 'environment',
      message: `cannot tell whether ${silent.map(host => host.name).join(', ')} can clear the page cache between writing and reading (Rules 4.3.1): ${silent[0].problem}`,
      fix: 'make sure the launcher reaches every client host (mlps doctor --hosts ...)', evidence: [{value: probe.plan.argv}]})
  }
  if (unable.length > 0) {
    findings.push({ruleId: RULE, severity: closed ? 'error' : 'warn', kind: 'environment',
      message: `the checkpoints fit in 3 × client memory, so the page cache must be cleared between writing and reading (Rules 4.3.1), but on ${unable.map(host => `${host.name} (uid ${host.uid})`).join(', ')} this user is not root and has no passwordless sudo for it: the reads would come from memory`,
      fix: `run mlps as root, or allow \`sudo -n ${SUDO_RULE}\` for this user on every client host${closed ? '' : ' (an OPEN run goes on without clearing, and its record says so)'}`})
  }
  return findings
}

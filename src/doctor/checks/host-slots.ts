import {offeredSlots} from '../../hosts/placement.js'
import {type CheckContext, type CheckResult, type PreflightCheck, runOf} from '../check.js'

const plural = (count: number, word: string, words = `${word}s`) => `${count} ${count === 1 ? word : words}`

/** A run's ranks are bounded when an engine starts them and its hosts give slots (--hosts a:2, a host file, the Slurm allocation's tasks). */
const ranksBounded = (ctx: CheckContext): boolean =>
  ctx.run?.engine !== undefined && ctx.run.numProcesses !== undefined && offeredSlots(ctx.run.hosts) !== undefined

/**
 * Slots are how many ranks a host takes: given as `host:N` or `slots=N`, or granted by Slurm as the
 * allocation's tasks per node. Every launch places ranks within them (placeRanks; and srun inside an
 * allocation cannot start a step larger than the allocation), for every engine and launcher, so more
 * ranks than slots is refused here, before anything starts, rather than by the launch once the run has
 * begun. An engine's own launch check may name the same refusal: this one says where the
 * slots came from and how to get more.
 */
export const hostSlotsCheck: PreflightCheck = {
  id: 'mlps.hosts.slots',
  title: 'the hosts\' slots hold the ranks asked',
  runsOn: 'invocation',
  modes: ['run'],
  appliesTo: ranksBounded,
  async run(ctx): Promise<CheckResult> {
    const run = runOf(ctx)
    const asked = run.numProcesses!
    const slots = offeredSlots(run.hosts)!
    const from = run.hostsOrigin?.described ?? 'the hosts given'
    const hosts = run.hosts.map(host => `${host.name}:${host.slots ?? 1}`).join(',')
    if (asked <= slots) return {status: 'ok', detail: `${plural(asked, 'rank')} in the ${plural(slots, 'slot')} of ${hosts} (from ${from})`}
    const perHost = Math.ceil(asked / run.hosts.length)
    const bigger = run.hostsOrigin?.kind === 'allocation'
      ? `or a bigger allocation (e.g. salloc -N ${run.hosts.length} --ntasks-per-node=${perHost}, or salloc -n ${asked})`
      : `give more slots (e.g. ${run.hosts.map(host => `${host.name}:${perHost}`).slice(0, 3).join(',')}${run.hosts.length > 3 ? ',...' : ''}) or more hosts in ${run.hostsOrigin?.where ?? '--hosts'}`
    // an allocation too small is the environment's (exit 3); slots the user gave that are too few are the invocation's input (exit 2)
    return {
      status: 'fail', kind: run.hostsOrigin?.kind === 'allocation' ? 'environment' : 'input',
      // worded as the launch's own refusal (placeRanks), which this check brings forward
      detail: `the hosts offer ${plural(slots, 'slot')} but ${plural(asked, 'process', 'processes')} are asked (-n ${asked}): ${hosts}, from ${from}`,
      fix: `ask for at most ${plural(slots, 'rank')} (-n ${slots}), ${bigger}`,
    }
  },
}

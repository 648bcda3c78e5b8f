import type {CheckContext, PreflightCheck, RunContext} from 'mlps'
import {offeredSlots, runOf} from 'mlps/unstable'
import {type NativeOptions, NativeOptionsSchema} from '../native-options.js'
import {runOnHosts, seatRanks} from './host-run.js'
import {runsOnHosts} from './runs-on-hosts.js'

/** `engines.native` as the config gives it, defaults filled in. */
function nativeOptions(ctx: CheckContext): NativeOptions {
  return NativeOptionsSchema.parse((ctx.config.engines as Record<string, unknown>).native ?? {})
}

/** What the hosts need of each other for the native engine's ranks to meet, in words. */
export function coordinationNeeds(options: NativeOptions): string {
  const port = options.rendezvous.port === 0 ? 'a free TCP port chosen per run' : `TCP port ${options.rendezvous.port}`
  return `across hosts, one worker per host starts through the launcher (or OpenSSH when engines.native.launch is ssh or no MPI is installed), with node and mlps at the same paths as here, ` +
    `and connects back to this machine on ${port}${options.rendezvous.address ? ` at ${options.rendezvous.address}` : ''}: a firewall between the hosts and this machine must let that port in ` +
    '(set engines.native.rendezvous.port to a fixed one to open it)'
}

/**
 * Before a run over hosts: start a worker on every host exactly as the run will (launcher or SSH, same
 * environment), and have each reach the rendezvous and leave. A host that cannot is named here, before
 * anything of the benchmark starts.
 */
export const rendezvousCheck: PreflightCheck = {
  id: 'native.rendezvous',
  title: 'every host reaches the native engine\'s rendezvous',
  runsOn: 'invocation',
  engine: 'native',
  modes: ['run'],
  appliesTo: ctx => ctx.run?.engine?.name === 'native' && ['training', 'checkpointing', 'kvcache'].includes(ctx.run.benchmark)
    && (ctx.run.command === 'run' || (ctx.run.benchmark === 'training' && ctx.run.command === 'datagen')) && runsOnHosts(ctx.run),
  async run(ctx) {
    const run = runOf(ctx) as RunContext
    const options = run.engineOptions as NativeOptions
    const ranks = Math.max(1, run.numProcesses ?? 1)
    const slots = offeredSlots(run.hosts)
    // the core's mlps.hosts.slots names that problem and its fix; no worker is started for a run that cannot be placed
    if (slots !== undefined && ranks > slots) return {status: 'skip', detail: `not evaluated: ${ranks} ranks do not fit the hosts' ${slots} slots (mlps.hosts.slots)`}
    const seats = seatRanks(run, ranks)
    const started = Date.now()
    const outcome = await runOnHosts(run, {seats, label: 'rendezvous_probe', task: () => ({kind: 'probe'})})
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    // SIGINT during the probe: the run stops as interrupted, not as a host's fault
    if (outcome.status === 'INTERRUPTED') return {status: 'skip', detail: `not evaluated: ${outcome.reason}`}
    if (outcome.status === 'COMPLETED') {
      return {status: 'ok', detail: `${seats.map(seat => seat.host).join(', ')} reached the rendezvous at ${outcome.rendezvous} through ${outcome.transport} in ${seconds} s`}
    }
    return {
      status: 'fail', kind: 'environment',
      detail: `a worker on ${outcome.unreachable?.join(', ') ?? outcome.failedHost ?? 'a host'} could not take part: ${outcome.reason}`,
      fix: `${coordinationNeeds(options)}; check that the launcher reaches every host (e.g. mpirun -host <host> hostname) and that ${outcome.rendezvous.replace(/:\d+$/, '')} is this machine's address on the hosts' network (else set engines.native.rendezvous.address)`,
    }
  },
}

/** `mlps doctor`: what the native engine needs between hosts, said whether or not a run is planned. */
export const coordinationCheck: PreflightCheck = {
  id: 'native.coordination',
  title: 'what the native engine\'s ranks need between hosts',
  runsOn: 'controller',
  engine: 'native',
  modes: ['doctor'],
  async run(ctx) {
    return {status: 'ok', detail: coordinationNeeds(nativeOptions(ctx))}
  },
}
